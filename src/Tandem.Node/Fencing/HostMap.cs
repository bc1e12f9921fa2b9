namespace Tandem.Node.Fencing;

/// <summary>
/// Parses pcmk_host_map as Pacemaker's fencer does: <c>node:port</c> or <c>node=port</c> pairs separated
/// by ';', spaces or tabs; a backslash makes the next character literal. Node names compare without case.
/// </summary>
public static class HostMap
{
    public static IReadOnlyDictionary<string, string> Parse(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(text))
        {
            return map;
        }
        string? name = null;
        var token = new System.Text.StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            switch (c)
            {
                case '\\' when i + 1 < text.Length:
                    token.Append(text[++i]);
                    break;
                case '=' or ':':
                    if (token.Length > 0)
                    {
                        name = token.ToString();
                    }
                    token.Clear();
                    break;
                case '\0' or ';' or ' ' or '\t':
                    if (name is not null)
                    {
                        map[name] = token.ToString();
                        name = null;
                    }
                    token.Clear();
                    break;
                default:
                    token.Append(c);
                    break;
            }
        }
        return map;
    }

    /// <summary>
    /// Node names from pcmk_host_list or from a fence agent's <c>list</c> output, as Pacemaker reads them:
    /// entries separated by white space, ',' or ';' (a literal "\n" also ends a line); each entry is the
    /// run of letters, digits, '_', '-' and '.' it starts with; "on"/"off" status words and lines that
    /// complain about parameters ("invalid", "variable") are skipped.
    /// </summary>
    public static IReadOnlyList<string> ParseTargets(string? text)
    {
        var targets = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return targets;
        }
        foreach (var line in text.Replace("\\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Contains("invalid", StringComparison.Ordinal) || line.Contains("variable", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var entry in line.Split([' ', '\t', '\r', '\f', '\v', ',', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var length = 0;
                while (length < entry.Length && (char.IsAsciiLetterOrDigit(entry[length]) || entry[length] is '_' or '-' or '.'))
                {
                    length++;
                }
                var name = entry[..length];
                if (name.Length > 0 && !name.Equals("on", StringComparison.OrdinalIgnoreCase) && !name.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    targets.Add(name);
                }
            }
        }
        return targets;
    }
}
