namespace Tandem.Model.Resources;

/// <summary>
/// The agent that manages a primitive: <c>class:provider:type</c> for OCF (ocf:heartbeat:IPaddr2), or
/// <c>class:type</c> for the others (systemd:nginx, lsb:apache2, stonith:fence_ipmilan, service:foo).
/// </summary>
public sealed record ResourceAgent(string Class, string? Provider, string Type)
{
    public const string OcfClass = "ocf";
    public const string StonithClass = "stonith";

    /// <summary>The classes Pacemaker 2.1 knows.</summary>
    public static readonly IReadOnlySet<string> KnownClasses =
        new HashSet<string>(StringComparer.Ordinal) { "ocf", "lsb", "heartbeat", "stonith", "upstart", "service", "systemd", "nagios" };

    public bool IsStonith => Class == StonithClass;

    /// <summary>Parses "class:provider:type" or "class:type"; a bare type means ocf:heartbeat:type, as in crmsh.</summary>
    public static bool TryParse(string? text, out ResourceAgent agent, out string error)
    {
        agent = new ResourceAgent(OcfClass, "heartbeat", "");
        error = "";
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "empty resource agent (expected class:provider:type such as ocf:heartbeat:IPaddr2)";
            return false;
        }
        var parts = value.Split(':', 3);
        if (parts.Length == 1)
        {
            agent = new ResourceAgent(OcfClass, "heartbeat", parts[0]);
            return true;
        }
        var cls = parts[0];
        if (cls == OcfClass)
        {
            if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0)
            {
                error = $"invalid resource agent '{text}' (an OCF agent is ocf:provider:type)";
                return false;
            }
            agent = new ResourceAgent(cls, parts[1], parts[2]);
            return true;
        }
        var type = value[(cls.Length + 1)..];
        if (cls.Length == 0 || type.Length == 0)
        {
            error = $"invalid resource agent '{text}' (expected class:type or ocf:provider:type)";
            return false;
        }
        agent = new ResourceAgent(cls, null, type);
        return true;
    }

    public static ResourceAgent Parse(string? text) =>
        TryParse(text, out var agent, out var error) ? agent : throw new FormatException(error);

    public override string ToString() => Provider is null ? $"{Class}:{Type}" : $"{Class}:{Provider}:{Type}";
}
