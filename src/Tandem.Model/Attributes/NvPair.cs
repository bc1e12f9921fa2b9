namespace Tandem.Model.Attributes;

/// <summary>
/// One name/value pair of an attribute set. A pair without a value exists in the CIB (it unsets a
/// default in some contexts), so <see cref="Value"/> may be null.
/// </summary>
public sealed record NvPair(string Id, string Name, string? Value)
{
    /// <summary>When set, the pair was written as a reference (id-ref) to the pair with this id, whose name and value it copies.</summary>
    public string? IdRef { get; init; }
}
