namespace Tandem.Scheduler.Working;

/// <summary>
/// The allocation and promotion scores written while scheduling, in crm_simulate's wording
/// (<c>pcmk__primitive_assign: rsc allocation score on node: 0</c>).
/// </summary>
internal sealed class ScoreLog
{
    public List<string> Lines { get; } = [];

    public void Add(string line) => Lines.Add(line);
}
