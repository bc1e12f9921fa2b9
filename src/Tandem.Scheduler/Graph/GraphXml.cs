using System.Globalization;
using System.Xml.Linq;

namespace Tandem.Scheduler.Graph;

/// <summary>Writes a transition graph in Pacemaker's XML form (crm_simulate -G).</summary>
public static class GraphXml
{
    public static XElement ToXml(TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var root = new XElement("transition_graph", graph.Settings.Select(s => new XAttribute(s.Key, s.Value)));
        var index = 0;
        foreach (var synapse in graph.Synapses)
        {
            var element = new XElement("synapse", new XAttribute("id", index++.ToString(CultureInfo.InvariantCulture)));
            if (synapse.Priority != 0)
            {
                element.Add(new XAttribute("priority", synapse.Priority.ToString(CultureInfo.InvariantCulture)));
            }
            element.Add(new XElement("action_set", Action(synapse.Action, details: true)));
            element.Add(new XElement("inputs", synapse.Inputs.Select(i => new XElement("trigger", Action(i, details: false)))));
            root.Add(element);
        }
        return root;
    }

    private static XElement Action(GraphAction action, bool details)
    {
        var name = action.Kind switch
        {
            GraphActionKind.ResourceOperation => "rsc_op",
            GraphActionKind.Pseudo => "pseudo_event",
            _ => "crm_event",
        };
        var element = new XElement(name,
            new XAttribute("id", action.Id.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("operation", action.Task),
            new XAttribute("operation_key", action.Key));
        if (action.NodeName is not null)
        {
            element.Add(new XAttribute("on_node", action.NodeName));
        }
        if (action.NodeId is not null)
        {
            element.Add(new XAttribute("on_node_uuid", action.NodeId));
        }
        if (!details)
        {
            return element;
        }
        if (action.ResourceId is not null)
        {
            var rsc = new XElement("primitive", new XAttribute("id", action.ResourceId));
            if (action.ResourceLongId is not null)
            {
                rsc.Add(new XAttribute("long-id", action.ResourceLongId));
            }
            AddIfPresent(rsc, "class", action.ResourceClass);
            AddIfPresent(rsc, "provider", action.ResourceProvider);
            AddIfPresent(rsc, "type", action.ResourceType);
            element.Add(rsc);
        }
        element.Add(new XElement("attributes", action.Attributes.Select(a => new XAttribute(a.Key, a.Value))));
        if (action.Downed.Count > 0)
        {
            element.Add(new XElement("downed", action.Downed.Select(id => new XElement("node", new XAttribute("id", id)))));
        }
        return element;
    }

    private static void AddIfPresent(XElement element, string name, string? value)
    {
        if (value is not null)
        {
            element.Add(new XAttribute(name, value));
        }
    }
}
