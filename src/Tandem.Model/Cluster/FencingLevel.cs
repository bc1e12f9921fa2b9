using Tandem.Model.Collections;

namespace Tandem.Model.Cluster;

/// <summary>
/// One level of the fencing topology: to fence the target, try the listed devices together; if that
/// fails, try the next level (higher index). The target is a node name, a pattern, or a node attribute.
/// </summary>
public sealed record FencingLevel(string Id, int Index, ValueList<string> Devices)
{
    public string? Target { get; init; }

    public string? TargetPattern { get; init; }

    public string? TargetAttribute { get; init; }

    public string? TargetValue { get; init; }
}
