using System.Text.Json;

namespace Tandem.Lab;

/// <summary>
/// The part of `tandem status --json` the lab needs to decide that a cluster has formed: the nodes a
/// daemon sees online and the coordinator it follows. Read from the CLI's output, the public contract.
/// </summary>
public sealed record LabStatusView(HashSet<string> Online, bool Quorate, string? Coordinator)
{
    public static LabStatusView Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var online = root.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("online").GetBoolean())
                .Select(n => n.GetProperty("name").GetString() ?? "")
                .ToHashSet(StringComparer.Ordinal);
            var quorate = root.GetProperty("quorum").GetProperty("quorate").GetBoolean();
            var coordinator = root.TryGetProperty("coordinator", out var c) && c.ValueKind == JsonValueKind.Object
                ? c.GetProperty("name").GetString()
                : null;
            return new LabStatusView(online, quorate, coordinator);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new LabException($"unexpected output of 'tandem status --json': {e.Message}");
        }
    }
}
