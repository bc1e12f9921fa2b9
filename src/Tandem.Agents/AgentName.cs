using System.Diagnostics.CodeAnalysis;

namespace Tandem.Agents;

/// <summary>
/// An agent as configurations spell it: <c>ocf:heartbeat:IPaddr2</c>, <c>lsb:postgresql</c>,
/// <c>systemd:nginx</c>, <c>stonith:fence_ipmilan</c>. Only OCF agents have a provider.
/// </summary>
public sealed record AgentName(AgentClass Class, string? Provider, string Type)
{
    /// <summary>The lower-case class names Pacemaker uses (<c>service</c> is accepted as an alias of lsb on input).</summary>
    public static string ClassName(AgentClass agentClass) => agentClass switch
    {
        AgentClass.Ocf => "ocf",
        AgentClass.Lsb => "lsb",
        AgentClass.Systemd => "systemd",
        AgentClass.Stonith => "stonith",
        _ => throw new ArgumentOutOfRangeException(nameof(agentClass)),
    };

    public static bool TryParseClass(string text, out AgentClass agentClass)
    {
        switch (text)
        {
            case "ocf": agentClass = AgentClass.Ocf; return true;
            case "lsb" or "service": agentClass = AgentClass.Lsb; return true;
            case "systemd": agentClass = AgentClass.Systemd; return true;
            case "stonith": agentClass = AgentClass.Stonith; return true;
            default: agentClass = default; return false;
        }
    }

    /// <summary>Parses <c>class[:provider]:type</c>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static AgentName Parse(string text)
    {
        if (!TryParse(text, out var name, out var error))
        {
            throw new FormatException(error);
        }
        return name;
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out AgentName? name, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = null;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            error = $"agent '{text}' is not of the form class:provider:type (ocf) or class:type (lsb, systemd, stonith)";
            return false;
        }
        if (!TryParseClass(parts[0], out var agentClass))
        {
            error = $"agent '{text}' has unknown class '{parts[0]}' (known: ocf, lsb, systemd, stonith)";
            return false;
        }
        if (agentClass == AgentClass.Ocf && parts.Length != 3)
        {
            error = $"agent '{text}' needs a provider: ocf:PROVIDER:TYPE, e.g. ocf:heartbeat:{parts[^1]}";
            return false;
        }
        if (agentClass != AgentClass.Ocf && parts.Length != 2)
        {
            error = $"agent '{text}': class '{parts[0]}' takes no provider ({parts[0]}:TYPE)";
            return false;
        }
        foreach (var part in parts.Skip(1))
        {
            // Names become file names under the agent directories: never let one climb out of them.
            if (part.Contains('/', StringComparison.Ordinal) || part is "." or ".." || part.Any(char.IsWhiteSpace))
            {
                error = $"agent '{text}': '{part}' is not a valid agent name part";
                return false;
            }
        }
        name = new AgentName(agentClass, agentClass == AgentClass.Ocf ? parts[1] : null, parts[^1]);
        error = null;
        return true;
    }

    public override string ToString() =>
        Provider is null ? $"{ClassName(Class)}:{Type}" : $"{ClassName(Class)}:{Provider}:{Type}";
}
