using Tandem.Model.Durations;

namespace Tandem.Model.Text;

/// <summary>
/// The ids the text face gives to elements written without one (close to crmsh's). The printer leaves
/// out an id equal to its conventional one and the parser fills it back in, so ids survive the text
/// face without cluttering it. Nvpair, expression and date-spec ids are always conventional in text.
/// </summary>
internal static class TextIds
{
    public const string PropertySet = "cib-bootstrap-options";
    public const string ResourceDefaultsSet = "rsc-options";
    public const string OperationDefaultsSet = "op-options";

    public static string Indexed(string baseId, int index) => index == 0 ? baseId : $"{baseId}-{index}";

    /// <summary>The index-th block of a kind (instance_attributes, meta_attributes, utilization) on an owner.</summary>
    public static string Set(string ownerId, string kind, int index) => Indexed($"{ownerId}-{kind}", index);

    public static string NodeAttributes(string nodeId, int index) => Indexed($"nodes-{nodeId}", index);

    public static string NodeUtilization(string nodeId, int index) => Indexed($"nodes-{nodeId}-utilization", index);

    public static string TopLevelSet(string baseId, int index) => Indexed(baseId, index);

    public static string Pair(string setId, string name) => $"{setId}-{name}";

    public static string Operation(string resourceId, string name, Duration interval) => $"{resourceId}-{name}-{interval}";

    public static string LocationRule(string constraintId, int index) => Indexed($"{constraintId}-rule", index);

    public static string SetRule(string setId) => $"{setId}-rule";

    public static string Expression(string ruleId, int index) => Indexed($"{ruleId}-expression", index);

    public static string Duration(string expressionId) => $"{expressionId}-duration";

    public static string DateSpec(string expressionId) => $"{expressionId}-date_spec";

    public static string ResourceSet(string constraintId, int index) => Indexed($"{constraintId}-set", index);

    /// <summary>Makes ids unique among siblings: the second "x" becomes "x-1", and so on.</summary>
    public static List<string> Deduplicate(IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var id in ids)
        {
            var unique = id;
            for (var n = 1; !seen.Add(unique); n++)
            {
                unique = $"{id}-{n}";
            }
            result.Add(unique);
        }
        return result;
    }
}
