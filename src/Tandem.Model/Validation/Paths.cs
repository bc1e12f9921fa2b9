using Tandem.Model.Constraints;
using Tandem.Model.Resources;

namespace Tandem.Model.Validation;

/// <summary>The paths of findings, in the CIB's names relative to &lt;configuration&gt;.</summary>
internal static class Paths
{
    public static string Of(Resource resource) => resource switch
    {
        Primitive p => $"resources/primitive[id={p.Id}]",
        Group g => $"resources/group[id={g.Id}]",
        Clone c => $"resources/clone[id={c.Id}]",
        _ => $"resources/bundle[id={resource.Id}]",
    };

    public static string Of(Constraint constraint) => constraint switch
    {
        LocationConstraint => $"constraints/rsc_location[id={constraint.Id}]",
        ColocationConstraint => $"constraints/rsc_colocation[id={constraint.Id}]",
        OrderConstraint => $"constraints/rsc_order[id={constraint.Id}]",
        _ => $"constraints/rsc_ticket[id={constraint.Id}]",
    };

    public static string Kind(Constraint constraint) => constraint switch
    {
        LocationConstraint => "location",
        ColocationConstraint => "colocation",
        OrderConstraint => "order",
        _ => "ticket",
    };

    public static string Kind(Resource resource) => resource switch
    {
        Primitive => "primitive",
        Group => "group",
        Clone c => c.IsPromotable ? "promotable clone" : "clone",
        _ => "bundle",
    };
}
