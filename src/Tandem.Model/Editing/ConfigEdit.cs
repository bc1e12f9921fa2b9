namespace Tandem.Model.Editing;

/// <summary>
/// The configuration an edit produced and what it did beyond the obvious, in words for the operator
/// (constraints removed with a resource, a move that expires), so that nothing changes unannounced.
/// </summary>
public sealed record ConfigEdit(ClusterConfiguration Configuration, IReadOnlyList<string> Notes)
{
    public static ConfigEdit Of(ClusterConfiguration configuration, params string[] notes) => new(configuration, notes);
}
