using System.Text.Json.Serialization;
using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;

namespace Tandem.Model;

/// <summary>
/// The whole cluster configuration with Pacemaker's semantics: what must run (resources), where
/// (nodes, location and colocation constraints), in which order (order constraints), and the cluster's
/// policies (properties, resource and operation defaults). Immutable; lists keep the written order,
/// which Pacemaker's placement depends on.
/// </summary>
public sealed record ClusterConfiguration
{
    public static readonly ClusterConfiguration Empty = new();

    /// <summary>The cluster_property_set blocks of crm_config.</summary>
    public ValueList<AttributeSet> Properties { get; init; }

    public ValueList<Node> Nodes { get; init; }

    /// <summary>The top-level resources in written order.</summary>
    public ValueList<Resource> Resources { get; init; }

    public ValueList<ResourceTemplate> Templates { get; init; }

    public ValueList<Constraint> Constraints { get; init; }

    /// <summary>The meta_attributes blocks of rsc_defaults.</summary>
    public ValueList<AttributeSet> ResourceDefaults { get; init; }

    /// <summary>The meta_attributes blocks of op_defaults.</summary>
    public ValueList<AttributeSet> OperationDefaults { get; init; }

    public ValueList<Tag> Tags { get; init; }

    public ValueList<FencingLevel> FencingTopology { get; init; }

    /// <summary>The cluster properties in force when no rule holds (the common case: properties without rules).</summary>
    [JsonIgnore]
    public ClusterOptions Options => new(Properties.Resolve(alwaysFirstId: ClusterOptions.BootstrapSetId));

    /// <summary>Every resource, depth first: each top-level resource followed by its children.</summary>
    [JsonIgnore]
    public IEnumerable<Resource> AllResources => Resources.SelectMany(r => r.SelfAndDescendants);

    public Resource? FindResource(string id) => AllResources.FirstOrDefault(r => r.Id == id);

    public ResourceTemplate? FindTemplate(string id) => Templates.FirstOrDefault(t => t.Id == id);

    public Node? FindNode(string uname) => Nodes.FirstOrDefault(n => n.Uname == uname);

    /// <summary>The resource that directly contains <paramref name="id"/> (its group, clone or bundle), or null at top level.</summary>
    public Resource? ParentOf(string id) =>
        AllResources.FirstOrDefault(r => r switch
        {
            Group g => g.Members.Any(m => m.Id == id),
            Clone c => c.Child.Id == id,
            Bundle b => b.Primitive?.Id == id,
            _ => false,
        });

    /// <summary>
    /// The primitive with its template merged in, as Pacemaker expands it: the template's agent, the
    /// template's attribute blocks followed by the primitive's own, and the primitive's operations plus
    /// those of the template that the primitive does not redefine (same name and role). A primitive
    /// without a template, or whose template is missing, is returned unchanged.
    /// </summary>
    public Primitive Expand(Primitive primitive)
    {
        if (primitive.Template is null || FindTemplate(primitive.Template) is not { } template)
        {
            return primitive;
        }
        var operations = primitive.Operations;
        if (operations.IsEmpty)
        {
            operations = template.Operations;
        }
        else
        {
            var own = operations.Select(TemplateOperationKey).ToHashSet();
            operations = operations.AddRange(template.Operations.Where(op => !own.Contains(TemplateOperationKey(op))));
        }
        return primitive with
        {
            Agent = template.Agent,
            Description = primitive.Description ?? template.Description,
            Params = template.Params.AddRange(primitive.Params),
            Meta = template.Meta.AddRange(primitive.Meta),
            Utilization = template.Utilization.AddRange(primitive.Utilization),
            Operations = operations,
        };
    }

    // Pacemaker treats Started and Unpromoted ops as the same slot as role-less ops when merging.
    private static (string, Role) TemplateOperationKey(Operation op) =>
        (op.Name, op.Role is null or Role.Started or Role.Unpromoted ? Role.Unknown : op.Role.Value);
}
