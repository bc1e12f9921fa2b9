using System.Globalization;

namespace Tandem.Agents.Metadata;

/// <summary>
/// Checks a resource's parameters against its agent's metadata (pure): required parameters missing are
/// errors; unknown parameters (with the closest known name), deprecated ones, and values that do not fit an
/// integer, boolean or select parameter are warnings. For fence devices, Pacemaker's own device options
/// (pcmk_*) are known parameters, and the per-operation ones (action, port/plug) are never required.
/// </summary>
public static class ParameterValidator
{
    public static IReadOnlyList<ParameterFinding> Validate(AgentName agent, AgentMetadata metadata, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(parameters);
        var findings = new List<ParameterFinding>();
        foreach (var parameter in metadata.Parameters.Where(p => p.Required && !p.Deprecated))
        {
            // The fencer supplies these for each operation (action, and the target from the host map).
            if (agent.Class == AgentClass.Stonith && parameter.Name is "action" or "port" or "plug" or "nodename")
            {
                continue;
            }
            if (!parameters.TryGetValue(parameter.Name, out var value) || value.Length == 0)
            {
                findings.Add(new(FindingSeverity.Error, parameter.Name, $"parameter '{parameter.Name}' is required by {agent}"));
            }
        }
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var known = metadata.FindParameter(name);
            if (known is null)
            {
                if (agent.Class == AgentClass.Stonith && name.StartsWith("pcmk_", StringComparison.Ordinal))
                {
                    continue;
                }
                var closest = Closest(name, metadata.Parameters.Select(p => p.Name));
                findings.Add(new(FindingSeverity.Warning, name,
                    $"'{name}' is not a parameter of {agent}{(closest is null ? "" : $" (did you mean '{closest}'?)")}"));
                continue;
            }
            if (known.Deprecated)
            {
                findings.Add(new(FindingSeverity.Warning, name, $"parameter '{name}' of {agent} is deprecated"));
            }
            var problem = CheckValue(known, value);
            if (problem is not null)
            {
                findings.Add(new(FindingSeverity.Warning, name, $"parameter '{name}' of {agent}: {problem}"));
            }
        }
        return findings;
    }

    private static string? CheckValue(ParameterMetadata parameter, string value) => parameter.Type switch
    {
        "integer" when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"'{value}' is not an integer",
        "boolean" when !IsBoolean(value) => $"'{value}' is not a boolean (true/false, yes/no, on/off, 1/0)",
        "select" when parameter.Choices.Count > 0 && !parameter.Choices.Contains(value) =>
            $"'{value}' is not one of {string.Join(", ", parameter.Choices)}",
        _ => null,
    };

    private static bool IsBoolean(string value) =>
        value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "1" or "0" or "y" or "n";

    /// <summary>The known name within edit distance 2 (a typo), or null.</summary>
    private static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in known)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
