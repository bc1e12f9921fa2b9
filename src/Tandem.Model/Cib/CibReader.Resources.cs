using System.Xml.Linq;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;

namespace Tandem.Model.Cib;

/// <summary>Resources: primitives, templates, groups, clones (and the old master element), bundles.</summary>
internal sealed partial class CibReader
{
    private (ValueList<Resource>, ValueList<ResourceTemplate>) ReadResources(CibElement section)
    {
        var resources = new List<Resource>();
        var templates = new List<ResourceTemplate>();
        foreach (var child in section.Children)
        {
            var e = section.Child(child);
            switch (e.Name)
            {
                case "template":
                    templates.Add(ReadTemplate(e));
                    break;
                case "primitive" or "group" or "clone" or "master" or "bundle":
                    resources.Add(ReadResource(e));
                    break;
                default:
                    section.UnknownChild(child, "resources");
                    break;
            }
        }
        var result = resources.ToValueList();
        var templateList = templates.ToValueList();
        CheckTemplateReferences(section, result, templateList);
        return (result, templateList);
    }

    private Resource ReadResource(CibElement e) => e.Name switch
    {
        "primitive" => ReadPrimitive(e),
        "group" => ReadGroup(e),
        "clone" or "master" => ReadClone(e),
        _ => ReadBundle(e),
    };

    private void CheckTemplateReferences(CibElement section, ValueList<Resource> resources, ValueList<ResourceTemplate> templates)
    {
        var ids = templates.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var primitive in resources.SelectMany(r => r.SelfAndDescendants).OfType<Primitive>())
        {
            if (primitive.Template is { } template && !ids.Contains(template))
            {
                section.Report(DiagnosticSeverity.Error, $"primitive '{primitive.Id}' is based on template '{template}', which does not exist");
            }
        }
    }

    private Primitive ReadPrimitive(CibElement e)
    {
        var id = e.Id();
        var description = e.Attr("description");
        var template = e.Attr("template");
        var agent = ReadAgent(e, template is null);
        if (template is not null && agent is not null)
        {
            e.Report(DiagnosticSeverity.Warning, $"{e.Display} names both a template and an agent; the template's agent is used");
        }
        var body = ReadPrimitiveBody(e);
        e.Finish();
        return new Primitive(id, template is null ? agent : null)
        {
            Template = template,
            Description = description,
            Params = body.Params,
            Meta = body.Meta,
            Utilization = body.Utilization,
            Operations = body.Operations,
            OperationsId = body.OperationsId,
            OperationsIdRef = body.OperationsIdRef,
        };
    }

    private ResourceTemplate ReadTemplate(CibElement e)
    {
        var id = e.Id();
        var agent = ReadAgent(e, required: true) ?? new ResourceAgent(ResourceAgent.OcfClass, "heartbeat", "");
        var body = ReadPrimitiveBody(e);
        var template = new ResourceTemplate(id, agent)
        {
            Description = e.Attr("description"),
            Params = body.Params,
            Meta = body.Meta,
            Utilization = body.Utilization,
            Operations = body.Operations,
            OperationsId = body.OperationsId,
        };
        e.Finish();
        return template;
    }

    private static ResourceAgent? ReadAgent(CibElement e, bool required)
    {
        var cls = e.Attr("class");
        var provider = e.Attr("provider");
        var type = e.Attr("type");
        if (cls is null && type is null)
        {
            if (required)
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} has no agent ('class' and 'type' attributes, or a 'template')");
            }
            return null;
        }
        if (cls is null || type is null)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has {(cls is null ? "no 'class'" : "no 'type'")} attribute");
        }
        else if (!ResourceAgent.KnownClasses.Contains(cls))
        {
            e.Invalid("class", $"unknown resource class '{cls}' (known: {string.Join(", ", ResourceAgent.KnownClasses.Order())})");
        }
        if (cls == ResourceAgent.OcfClass && provider is null)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} is an OCF resource without a 'provider' attribute");
        }
        return new ResourceAgent(cls ?? "", cls == ResourceAgent.OcfClass || provider is not null ? provider ?? "" : null, type ?? "");
    }

    private sealed record PrimitiveBody(
        ValueList<AttributeSet> Params,
        ValueList<AttributeSet> Meta,
        ValueList<AttributeSet> Utilization,
        ValueList<Operation> Operations,
        string? OperationsId,
        string? OperationsIdRef);

    private PrimitiveBody ReadPrimitiveBody(CibElement e)
    {
        var parameters = new List<XElement>();
        var meta = new List<XElement>();
        var utilization = new List<XElement>();
        ValueList<Operation> operations = [];
        string? operationsId = null;
        string? operationsIdRef = null;
        var sawOperations = false;
        foreach (var child in e.Children)
        {
            switch (child.Name.LocalName)
            {
                case "instance_attributes":
                    parameters.Add(child);
                    break;
                case "meta_attributes":
                    meta.Add(child);
                    break;
                case "utilization":
                    utilization.Add(child);
                    break;
                case "operations":
                    var ops = e.Child(child);
                    if (sawOperations)
                    {
                        ops.Report(DiagnosticSeverity.Error, $"{e.Display} has more than one <operations> element; only the first is kept");
                        break;
                    }
                    sawOperations = true;
                    (operations, operationsId, operationsIdRef) = ReadOperations(ops);
                    break;
                default:
                    e.UnknownChild(child, e.Name);
                    break;
            }
        }
        return new PrimitiveBody(ReadSets(e, parameters), ReadSets(e, meta), ReadSets(e, utilization), operations, operationsId, operationsIdRef);
    }

    private (ValueList<Operation>, string?, string?) ReadOperations(CibElement e)
    {
        var target = Dereference(e);
        var idRef = e.Attr("id-ref");
        var id = e.Attr("id");
        e.Finish();
        if (target is null)
        {
            return ([], id, null);
        }
        var source = target == e.Element ? e : new CibElement(target, e.Path, []);
        var operations = new List<Operation>();
        foreach (var child in source.Children)
        {
            if (child.Name.LocalName != "op")
            {
                source.UnknownChild(child, "operations");
                continue;
            }
            operations.Add(ReadOperation(source.Child(child)));
        }
        return (operations.ToValueList(), target == e.Element ? id : (string?)target.Attribute("id"), idRef);
    }

    private Operation ReadOperation(CibElement e)
    {
        var id = e.Id();
        var name = e.Required("name");
        var interval = e.Duration("interval", Durations.Duration.Zero);
        if (!e.Has("interval"))
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has no 'interval' attribute; read as 0");
        }
        var meta = new List<XElement>();
        var parameters = new List<XElement>();
        foreach (var child in e.Children)
        {
            switch (child.Name.LocalName)
            {
                case "meta_attributes":
                    meta.Add(child);
                    break;
                case "instance_attributes":
                    parameters.Add(child);
                    break;
                default:
                    e.UnknownChild(child, "op");
                    break;
            }
        }
        var operation = new Operation(id, name, interval ?? Durations.Duration.Zero)
        {
            Description = e.Attr("description"),
            Timeout = e.Duration("timeout"),
            Role = e.Role("role"),
            OnFail = e.Enum<OnFail>("on-fail", OnFailNames.TryParse, "ignore, block, demote, stop, restart, standby, fence or restart-container"),
            StartDelay = e.Duration("start-delay"),
            IntervalOrigin = e.Attr("interval-origin"),
            RecordPending = e.Bool("record-pending"),
            Enabled = e.Bool("enabled"),
            Requires = e.Attr("requires"),
            Meta = ReadSets(e, meta),
            Params = ReadSets(e, parameters),
        };
        e.Finish();
        return operation;
    }

    /// <summary>The meta and instance attribute blocks of a group, clone or bundle; other children go to <paramref name="other"/>.</summary>
    private (ValueList<AttributeSet> Meta, ValueList<AttributeSet> Params) ReadContainerSets(CibElement e, Action<XElement> other)
    {
        var meta = new List<XElement>();
        var parameters = new List<XElement>();
        foreach (var child in e.Children)
        {
            switch (child.Name.LocalName)
            {
                case "meta_attributes":
                    meta.Add(child);
                    break;
                case "instance_attributes":
                    parameters.Add(child);
                    break;
                default:
                    other(child);
                    break;
            }
        }
        return (ReadSets(e, meta), ReadSets(e, parameters));
    }

    private Group ReadGroup(CibElement e)
    {
        var id = e.Id();
        var members = new List<Primitive>();
        var (meta, parameters) = ReadContainerSets(e, child =>
        {
            if (child.Name.LocalName == "primitive")
            {
                members.Add(ReadPrimitive(e.Child(child)));
            }
            else
            {
                e.UnknownChild(child, "group");
            }
        });
        if (members.Count == 0)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has no primitives");
        }
        var group = new Group(id, members.ToValueList()) { Description = e.Attr("description"), Meta = meta, Params = parameters };
        e.Finish();
        return group;
    }

    private Clone ReadClone(CibElement e)
    {
        var id = e.Id();
        Resource? child = null;
        var (meta, parameters) = ReadContainerSets(e, x =>
        {
            if (x.Name.LocalName is "primitive" or "group")
            {
                var read = ReadResource(e.Child(x));
                if (child is null)
                {
                    child = read;
                }
                else
                {
                    e.Report(DiagnosticSeverity.Error, $"{e.Display} clones more than one resource; only '{child.Id}' is kept, '{read.Id}' is ignored");
                }
            }
            else
            {
                e.UnknownChild(x, e.Name);
            }
        });
        if (child is null)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has no primitive or group to clone");
            child = new Primitive(NewId($"{id}-missing-child"), null);
        }
        if (e.Name == "master")
        {
            meta = PromotableMeta.Mark(meta, () => NewId($"{id}-meta_attributes"), setId => NewId($"{setId}-promotable"));
            e.Report(DiagnosticSeverity.Info, $"deprecated element {e.Display} read as a promotable clone (meta promotable=true)");
        }
        var clone = new Clone(id, child) { Description = e.Attr("description"), Meta = meta, Params = parameters };
        e.Finish();
        return clone;
    }

    private Bundle ReadBundle(CibElement e)
    {
        var id = e.Id();
        string technology = "docker";
        var image = "";
        int? replicas = null, replicasPerHost = null, promotedMax = null;
        string? runCommand = null, network = null, options = null;
        Primitive? primitive = null;
        var dropped = new List<string>();
        var (meta, parameters) = ReadContainerSets(e, child =>
        {
            var c = e.Child(child);
            switch (c.Name)
            {
                case "docker" or "podman" or "rkt":
                    technology = c.Name;
                    image = c.Required("image");
                    replicas = c.Int("replicas");
                    replicasPerHost = c.Int("replicas-per-host");
                    promotedMax = c.Int("promoted-max") ?? c.Int("masters");
                    runCommand = c.Attr("run-command");
                    network = c.Attr("network");
                    options = c.Attr("options");
                    c.Finish();
                    break;
                case "network" or "storage":
                    dropped.Add($"<{c.Name}>");
                    break;
                case "primitive":
                    primitive = ReadPrimitive(c);
                    break;
                default:
                    e.UnknownChild(child, "bundle");
                    break;
            }
        });
        e.Report(DiagnosticSeverity.Unsupported,
            $"unsupported element {e.Display} in resources: container bundles are not supported yet; kept by name with its container and primitive{(dropped.Count > 0 ? $", {string.Join(" and ", dropped)} not kept" : "")}", code: "unsupported-bundle");
        var bundle = new Bundle(id, technology, image)
        {
            Description = e.Attr("description"),
            Meta = meta,
            Params = parameters,
            Replicas = replicas,
            ReplicasPerHost = replicasPerHost,
            PromotedMax = promotedMax,
            RunCommand = runCommand,
            Network = network,
            Options = options,
            Primitive = primitive,
        };
        e.Finish();
        return bundle;
    }
}
