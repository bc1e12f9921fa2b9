using System.Xml.Linq;
using Tandem.Scheduler.Graph;

namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>
/// A transition graph reduced to what must match: its actions (operation key and node) and, for each,
/// the actions it waits for. Action ids and parameters are left out, so graphs compare as graphs.
/// </summary>
internal sealed class GraphShape
{
    private readonly SortedDictionary<string, SortedSet<string>> _inputs = new(StringComparer.Ordinal);

    public int ActionCount => _inputs.Count;

    public static GraphShape FromExpected(string path)
    {
        var shape = new GraphShape();
        var root = XElement.Load(path);
        foreach (var synapse in root.Elements("synapse"))
        {
            var action = synapse.Element("action_set")?.Elements().FirstOrDefault();
            if (action is null)
            {
                continue;
            }
            var inputs = synapse.Element("inputs")?.Elements("trigger").Select(t => t.Elements().FirstOrDefault()).OfType<XElement>()
                         ?? [];
            shape.Add(Name(action), inputs.Select(Name));
        }
        return shape;
    }

    public static GraphShape FromGraph(TransitionGraph graph)
    {
        var shape = new GraphShape();
        foreach (var synapse in graph.Synapses)
        {
            shape.Add(Name(synapse.Action), synapse.Inputs.Select(Name));
        }
        return shape;
    }

    private static string Name(XElement action)
    {
        var key = (string?)action.Attribute("operation_key") ?? (string?)action.Attribute("operation") ?? "?";
        var node = (string?)action.Attribute("on_node");
        return node is null ? key : $"{key}@{node}";
    }

    private static string Name(GraphAction action) => action.NodeName is null ? action.Key : $"{action.Key}@{action.NodeName}";

    private void Add(string action, IEnumerable<string> inputs)
    {
        if (!_inputs.TryGetValue(action, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            _inputs[action] = set;
        }
        set.UnionWith(inputs);
    }

    public override string ToString() =>
        string.Join('\n', _inputs.Select(a => $"{a.Key} <- {string.Join(", ", a.Value)}"));

    /// <summary>The first difference, in words, or null when the graphs are the same.</summary>
    public string? Difference(GraphShape actual)
    {
        var missing = _inputs.Keys.Except(actual._inputs.Keys).ToList();
        var extra = actual._inputs.Keys.Except(_inputs.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            return $"actions: {missing.Count} missing (e.g. {missing.FirstOrDefault() ?? "-"}), {extra.Count} extra (e.g. {extra.FirstOrDefault() ?? "-"})";
        }
        foreach (var (action, inputs) in _inputs)
        {
            var theirs = actual._inputs[action];
            if (!inputs.SetEquals(theirs))
            {
                var lacking = inputs.Except(theirs).FirstOrDefault();
                var surplus = theirs.Except(inputs).FirstOrDefault();
                return $"inputs of {action}: " + (lacking is not null ? $"missing {lacking}" : $"extra {surplus}");
            }
        }
        return null;
    }
}
