namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>Lab tests run one at a time: they measure real membership timing on a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "lab";
}
