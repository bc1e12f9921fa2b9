using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Common;

/// <summary>
/// Merges blocks of name/value pairs into a table the way Pacemaker does: blocks sorted by score, highest
/// first, with equal scores in reverse document order (GLib prepend then stable sort), an optional block
/// always first; without overwrite the first value wins, with overwrite the last; "#default" unsets.
/// </summary>
internal static class NvSets
{
    public sealed record Block(string Id, int Score, IReadOnlyList<KeyValuePair<string, string?>> Pairs, Func<bool> Applies);

    public static void Apply(IDictionary<string, string> hash, IEnumerable<Block> blocks, bool overwrite, string? alwaysFirst = null)
    {
        var list = blocks.Reverse().ToList();
        var sorted = GList.Sort(list, (a, b) =>
        {
            if (alwaysFirst is not null && string.Equals(a.Id, alwaysFirst, StringComparison.OrdinalIgnoreCase))
            {
                return -1;
            }
            if (alwaysFirst is not null && string.Equals(b.Id, alwaysFirst, StringComparison.OrdinalIgnoreCase))
            {
                return 1;
            }
            return b.Score.CompareTo(a.Score);
        });
        foreach (var block in sorted)
        {
            if (!block.Applies())
            {
                continue;
            }
            foreach (var (name, value) in block.Pairs)
            {
                if (value is null)
                {
                    continue;
                }
                if (value.Equals("#default", StringComparison.OrdinalIgnoreCase))
                {
                    hash.Remove(name);
                }
                else if (!hash.ContainsKey(name) || overwrite)
                {
                    hash[name] = value;
                }
            }
        }
    }

    public static IEnumerable<Block> FromStatus(IEnumerable<Model.Status.AttributeSet> sets) =>
        sets.Select(s => new Block(s.Id, s.Score, s.Values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)).ToList(), static () => true));

    internal static int ScoreOf(Model.Scores.Score? score) => score?.Value ?? 0;

    internal static int Clamp(int score) => Math.Clamp(score, -Scores.Infinity, Scores.Infinity);
}
