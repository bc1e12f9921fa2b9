namespace Tandem.Deployment.Doctor;

/// <summary>Each port the cluster needs is free, or held by the process that should hold it.</summary>
public static class PortChecks
{
    public static IEnumerable<CheckResult> Run(DoctorFacts facts)
    {
        foreach (var port in facts.RequiredPorts)
        {
            var id = $"port.{port.Protocol}.{port.Port}";
            var what = $"{port.Protocol.ToUpperInvariant()} {port.Port} ({port.Purpose})";
            var holders = facts.BoundPorts.Where(b => b.Protocol == port.Protocol && b.Port == port.Port).ToList();
            if (holders.Count == 0)
            {
                yield return CheckResult.Ok(id, $"{what} is free");
                continue;
            }
            var strangers = holders.Where(h => !IsOwner(h.Process, port.Owner)).ToList();
            if (strangers.Count == 0)
            {
                yield return CheckResult.Ok(id, $"{what} is in use by {port.Owner}, as it should be");
                continue;
            }
            var who = string.Join(", ", strangers.Select(s => s.Process ?? "an unknown process").Distinct());
            yield return CheckResult.Failed(id, $"{what} is in use by {who}", $"stop {who} or move it to another port ('ss -lnp{(port.Protocol == "udp" ? "u" : "t")} sport = :{port.Port}' shows it)");
        }
    }

    // The tandem executable shows as "tandem" (apphost) or "dotnet" (run through the muxer).
    private static bool IsOwner(string? process, string owner) =>
        process is not null && (process == owner || (owner == "tandem" && process == "dotnet"));
}
