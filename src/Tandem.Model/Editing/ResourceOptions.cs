namespace Tandem.Model.Editing;

/// <summary>One operation as a command gives it: the action and its settings (interval=30s timeout=20s role=Promoted ...).</summary>
public sealed record OperationSpec(string Name, IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>
/// The options of `tandem resource create|update`, written as pcs writes them:
/// <c>name=value ... [op ACTION name=value ... [ACTION name=value ...]] [meta name=value ...]</c>.
/// </summary>
public sealed record ResourceOptions(
    IReadOnlyList<KeyValuePair<string, string>> Params,
    IReadOnlyList<KeyValuePair<string, string>> Meta,
    IReadOnlyList<OperationSpec> Operations)
{
    public static readonly ResourceOptions None = new([], [], []);

    /// <exception cref="ConfigEditException">A word that is neither name=value nor a keyword where one is expected.</exception>
    public static ResourceOptions Parse(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var parameters = new List<KeyValuePair<string, string>>();
        var meta = new List<KeyValuePair<string, string>>();
        var operations = new List<(string Name, List<KeyValuePair<string, string>> Settings)>();
        var section = "params";
        var expectOperationName = false;
        foreach (var word in words)
        {
            if (expectOperationName)
            {
                if (word.Contains('=', StringComparison.Ordinal) || word is "op" or "meta")
                {
                    throw new ConfigEditException($"'op' must be followed by an action name such as monitor, start or stop, not '{word}'");
                }
                operations.Add((word, []));
                expectOperationName = false;
                continue;
            }
            if (word is "op" or "meta")
            {
                section = word;
                expectOperationName = word == "op";
                continue;
            }
            var at = word.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                if (section == "op")
                {
                    // pcs lets one "op" introduce several actions: op monitor interval=10s start timeout=60s.
                    operations.Add((word, []));
                    continue;
                }
                throw new ConfigEditException($"expected name=value in the {(section == "meta" ? "meta attributes" : "parameters")}, found '{word}'");
            }
            var pair = KeyValuePair.Create(word[..at], word[(at + 1)..]);
            switch (section)
            {
                case "op":
                    operations[^1].Settings.Add(pair);
                    break;
                case "meta":
                    meta.Add(pair);
                    break;
                default:
                    parameters.Add(pair);
                    break;
            }
        }
        if (expectOperationName)
        {
            throw new ConfigEditException("'op' must be followed by an action name such as monitor, start or stop");
        }
        return new ResourceOptions(parameters, meta, [.. operations.Select(o => new OperationSpec(o.Name, o.Settings))]);
    }
}
