using System.Xml;
using System.Xml.Linq;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;

namespace Tandem.Model.Cib;

/// <summary>The reading of one CIB document; one instance per document (it collects diagnostics).</summary>
internal sealed partial class CibReader
{
    private readonly XElement _root;
    private readonly List<Diagnostic> _diagnostics = [];

    // Every element with an id, by (element name, id): id-ref="x" on an element means the element of
    // the same name whose id is x, as Pacemaker resolves it.
    private readonly Dictionary<(string, string), XElement> _byId = [];
    private readonly HashSet<string> _allIds = new(StringComparer.Ordinal);
    private readonly HashSet<XElement> _resolving = [];

    public CibReader(XElement root) => _root = root;

    public CibDocument Read()
    {
        XElement? configuration;
        CibHeader header;
        if (_root.Name.LocalName == "cib")
        {
            header = new CibHeader(_root.Attributes()
                .Where(a => !a.IsNamespaceDeclaration)
                .Select(a => KeyValuePair.Create(a.Name.LocalName, a.Value))
                .ToValueList());
            configuration = _root.Element("configuration");
            foreach (var child in _root.Elements().Where(e => e.Name.LocalName is not ("configuration" or "status")))
            {
                new CibElement(_root, "", _diagnostics).UnknownChild(child, "cib");
            }
        }
        else
        {
            header = CibHeader.Empty;
            configuration = _root.Name.LocalName == "configuration" ? _root : null;
        }
        if (configuration is null)
        {
            throw new CibFormatException($"no <configuration> element in <{_root.Name.LocalName}>", LineOf(_root));
        }
        IndexIds(configuration);
        var config = ReadConfiguration(new CibElement(configuration, "", _diagnostics));
        return new CibDocument(header, config, _diagnostics.ToValueList(), _root);
    }

    private static int? LineOf(XElement element) =>
        ((IXmlLineInfo)element).HasLineInfo() ? ((IXmlLineInfo)element).LineNumber : null;

    private static string PathOf(XElement element) =>
        string.Join('/', element.AncestorsAndSelf().Reverse().SkipWhile(e => e.Name.LocalName is "cib" or "configuration")
            .Select(e => (string?)e.Attribute("id") is { } id ? $"{e.Name.LocalName}[id={id}]" : e.Name.LocalName));

    private void IndexIds(XElement configuration)
    {
        foreach (var element in configuration.Descendants())
        {
            if ((string?)element.Attribute("id") is not { } id)
            {
                continue;
            }
            // resource_ref and obj_ref carry the id of what they point to, not their own; a node's id is
            // its cluster node id, outside the document's id space (a remote node's id is its resource's).
            if (element.Name.LocalName is "resource_ref" or "obj_ref" or "node")
            {
                continue;
            }
            _byId.TryAdd((element.Name.LocalName, id), element);
            if (!_allIds.Add(id))
            {
                _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, PathOf(element),
                    $"duplicate id '{id}' on <{element.Name.LocalName}>: ids must be unique in the configuration") { Line = LineOf(element), Code = "duplicate-id" });
            }
        }
    }

    /// <summary>
    /// Reads an element that may be an id-ref to another of its kind: its own content, or the target's
    /// marked as a reference (<paramref name="asReference"/>); null when the reference dangles or loops.
    /// </summary>
    private T? ReadReferable<T>(CibElement e, Func<CibElement, T> readContent, Func<T, T> asReference)
        where T : class
    {
        var target = Dereference(e);
        if (target is null)
        {
            e.Finish();
            return null;
        }
        if (target == e.Element)
        {
            var own = readContent(e);
            e.Finish();
            return own;
        }
        // The target is read (and reported) where it is written; here only its content is copied, once
        // per chain, so rules that refer to each other cannot loop.
        T? copy = null;
        if (_resolving.Add(target))
        {
            copy = readContent(new CibElement(target, e.Path, []));
            _resolving.Remove(target);
        }
        e.Finish();
        return copy is null ? null : asReference(copy);
    }

    /// <summary>
    /// Follows id-ref="x" to the element of the same name with id x. Returns the element itself when it
    /// has no id-ref, null (with an error) when the target is missing or the references loop.
    /// </summary>
    private XElement? Dereference(CibElement element)
    {
        var idRef = element.Attr("id-ref");
        if (idRef is null)
        {
            return element.Element;
        }
        if (!_byId.TryGetValue((element.Name, idRef), out var target) || target.Attribute("id-ref") is not null)
        {
            element.Report(DiagnosticSeverity.Error, $"{element.Display} refers to no <{element.Name} id=\"{idRef}\">; ignored");
            return null;
        }
        return target;
    }

    /// <summary>Allocates an id not used anywhere in the document, for elements the import adds.</summary>
    private string NewId(string wanted)
    {
        var id = wanted;
        for (var n = 1; !_allIds.Add(id); n++)
        {
            id = $"{wanted}-{n}";
        }
        return id;
    }

    private ClusterConfiguration ReadConfiguration(CibElement configuration)
    {
        var config = ClusterConfiguration.Empty;
        foreach (var child in configuration.Children)
        {
            var section = configuration.Child(child);
            switch (section.Name)
            {
                case "crm_config":
                    config = config with { Properties = ReadSetList(section, "cluster_property_set") };
                    break;
                case "nodes":
                    config = config with { Nodes = ReadNodes(section) };
                    break;
                case "resources":
                    var (resources, templates) = ReadResources(section);
                    config = config with { Resources = resources, Templates = templates };
                    break;
                case "constraints":
                    config = config with { Constraints = ReadConstraints(section) };
                    break;
                case "rsc_defaults":
                    config = config with { ResourceDefaults = ReadSetList(section, "meta_attributes") };
                    break;
                case "op_defaults":
                    config = config with { OperationDefaults = ReadSetList(section, "meta_attributes") };
                    break;
                case "tags":
                    config = config with { Tags = ReadTags(section) };
                    break;
                case "fencing-topology":
                    config = config with { FencingTopology = ReadFencingTopology(section) };
                    break;
                case "acls":
                    if (child.HasElements)
                    {
                        configuration.Unsupported(child, "access control lists are not supported; not kept");
                    }
                    break;
                case "alerts":
                    if (child.HasElements)
                    {
                        configuration.Unsupported(child, $"alert agents are not supported; {child.Elements("alert").Count()} alert(s) not kept");
                    }
                    break;
                default:
                    configuration.UnknownChild(child, "configuration");
                    break;
            }
            section.Finish();
        }
        return config;
    }

    /// <summary>A section holding attribute blocks of one kind (crm_config, rsc_defaults, op_defaults).</summary>
    private ValueList<AttributeSet> ReadSetList(CibElement section, string setName)
    {
        var sets = new List<AttributeSet>();
        foreach (var child in section.Children)
        {
            if (child.Name.LocalName == setName)
            {
                if (ReadAttributeSet(section.Child(child)) is { } set)
                {
                    sets.Add(set);
                }
            }
            else
            {
                section.UnknownChild(child, section.Name);
            }
        }
        return sets.ToValueList();
    }

    private ValueList<Node> ReadNodes(CibElement section)
    {
        var nodes = new List<Node>();
        foreach (var child in section.Children)
        {
            if (child.Name.LocalName != "node")
            {
                section.UnknownChild(child, "nodes");
                continue;
            }
            var e = section.Child(child);
            var id = e.Id();
            var uname = e.Attr("uname") ?? id;
            var node = new Node(id, uname)
            {
                Type = e.Enum<NodeType>("type", TryParseNodeType, "member, ping or remote"),
                Description = e.Attr("description"),
                Score = e.Score(),
            };
            var attributes = new List<AttributeSet>();
            var utilization = new List<AttributeSet>();
            foreach (var grandChild in e.Children)
            {
                var list = grandChild.Name.LocalName switch
                {
                    "instance_attributes" => attributes,
                    "utilization" => utilization,
                    _ => null,
                };
                if (list is null)
                {
                    e.UnknownChild(grandChild, "node");
                }
                else if (ReadAttributeSet(e.Child(grandChild)) is { } set)
                {
                    list.Add(set);
                }
            }
            e.Finish();
            nodes.Add(node with { Attributes = attributes.ToValueList(), Utilization = utilization.ToValueList() });
        }
        return nodes.ToValueList();
    }

    // Pacemaker 1.0 wrote "normal" for cluster members.
    private static bool TryParseNodeType(string text, out NodeType type)
    {
        if (text == "normal")
        {
            type = NodeType.Member;
            return true;
        }
        return EnumNames.TryParse(text, out type);
    }

    private ValueList<Tag> ReadTags(CibElement section)
    {
        var tags = new List<Tag>();
        foreach (var child in section.Children)
        {
            if (child.Name.LocalName != "tag")
            {
                section.UnknownChild(child, "tags");
                continue;
            }
            var e = section.Child(child);
            var references = new List<string>();
            foreach (var reference in e.Children)
            {
                if (reference.Name.LocalName != "obj_ref")
                {
                    e.UnknownChild(reference, "tag");
                    continue;
                }
                var r = e.Child(reference);
                references.Add(r.Id());
                r.Finish();
            }
            tags.Add(new Tag(e.Id(), references.ToValueList()));
            e.Finish();
        }
        return tags.ToValueList();
    }

    private ValueList<FencingLevel> ReadFencingTopology(CibElement section)
    {
        var levels = new List<FencingLevel>();
        foreach (var child in section.Children)
        {
            if (child.Name.LocalName != "fencing-level")
            {
                section.UnknownChild(child, "fencing-topology");
                continue;
            }
            var e = section.Child(child);
            var devices = e.Required("devices").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var level = new FencingLevel(e.Id(), e.Int("index") ?? 0, devices.ToValueList())
            {
                Target = e.Attr("target"),
                TargetPattern = e.Attr("target-pattern"),
                TargetAttribute = e.Attr("target-attribute"),
                TargetValue = e.Attr("target-value"),
            };
            if (!e.Has("index"))
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} has no 'index' attribute");
            }
            if (level.Target is null && level.TargetPattern is null && level.TargetAttribute is null)
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} names no target (target, target-pattern or target-attribute)");
            }
            e.Finish();
            levels.Add(level);
        }
        return levels.ToValueList();
    }
}
