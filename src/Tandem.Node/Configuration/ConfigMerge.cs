
namespace Tandem.Node.Configuration;

/// <summary>
/// A configuration replaced by another after a membership change, reported so an administrator can see
/// which changes a healed split discarded.
/// </summary>
public sealed record ConfigMerge(DateTimeOffset At, string Winner, ConfigStamp WinningStamp, IReadOnlyList<string> Replaced, IReadOnlyList<ConfigStamp> ReplacedStamps)
{
    public override string ToString() =>
        $"configuration {WinningStamp} from {Winner} replaced {string.Join(", ", Replaced.Zip(ReplacedStamps, (n, s) => $"{s} on {n}"))}";
}
