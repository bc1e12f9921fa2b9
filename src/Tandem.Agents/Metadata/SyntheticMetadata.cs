using System.Xml.Linq;

namespace Tandem.Agents.Metadata;

/// <summary>
/// LSB init scripts and systemd units have no meta-data action; like Pacemaker, Tandem describes them
/// itself (from the script's LSB header, when it has one).
/// </summary>
public static class SyntheticMetadata
{
    /// <summary>Meta-data for an init script, or null when the script does not exist.</summary>
    public static string? ForLsb(string name, string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var (shortDescription, description) = ReadLsbHeader(File.ReadLines(path).Take(200));
        return Build(name,
            shortDescription ?? $"LSB init script {name}",
            description ?? $"LSB init script {path}",
            [("meta-data", "5s", null), ("start", "15s", null), ("stop", "15s", null), ("status", "15s", null),
             ("restart", "15s", null), ("force-reload", "15s", null), ("monitor", "15s", "15s")]);
    }

    public static string ForSystemd(string unit) =>
        Build(unit, $"systemd unit {unit}", $"The systemd unit {Execution.AgentCommand.SystemdUnit(unit)}, driven through systemctl",
            [("meta-data", "5s", null), ("start", "100s", null), ("stop", "100s", null), ("status", "100s", null),
             ("monitor", "100s", "60s")]);

    /// <summary>Reads Short-Description and Description from the "### BEGIN INIT INFO" block.</summary>
    public static (string? ShortDescription, string? Description) ReadLsbHeader(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        string? shortDescription = null;
        string? description = null;
        var inside = false;
        var continuing = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("### BEGIN INIT INFO", StringComparison.Ordinal))
            {
                inside = true;
                continue;
            }
            if (!inside)
            {
                continue;
            }
            if (line.StartsWith("### END INIT INFO", StringComparison.Ordinal))
            {
                break;
            }
            if (line.StartsWith("# Short-Description:", StringComparison.Ordinal))
            {
                shortDescription = line["# Short-Description:".Length..].Trim();
                continuing = false;
            }
            else if (line.StartsWith("# Description:", StringComparison.Ordinal))
            {
                description = line["# Description:".Length..].Trim();
                continuing = true;
            }
            else if (continuing && (line.StartsWith("#\t", StringComparison.Ordinal) || line.StartsWith("#  ", StringComparison.Ordinal)))
            {
                description += " " + line[1..].Trim();
            }
            else
            {
                continuing = false;
            }
        }
        return (shortDescription, description);
    }

    private static string Build(string name, string shortDescription, string longDescription, (string Name, string Timeout, string? Interval)[] actions)
    {
        var root = new XElement("resource-agent",
            new XAttribute("name", name),
            new XAttribute("version", "1.0"),
            new XElement("version", "1.1"),
            new XElement("longdesc", new XAttribute("lang", "en"), longDescription),
            new XElement("shortdesc", new XAttribute("lang", "en"), shortDescription),
            new XElement("parameters"),
            new XElement("actions", actions.Select(a => new XElement("action",
                new XAttribute("name", a.Name),
                new XAttribute("timeout", a.Timeout),
                a.Interval is null ? null : new XAttribute("interval", a.Interval)))));
        return new XDocument(new XDeclaration("1.0", null, null), root).ToString();
    }
}
