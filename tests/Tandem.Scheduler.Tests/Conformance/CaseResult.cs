namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>How one regression test fared at each conformance level (null reason: passed).</summary>
internal sealed record CaseResult(string Name, IReadOnlyList<string?> Failures)
{
    public const int Levels = 4;

    public bool Passed(int level) => Failures[level - 1] is null;

    public static CaseResult Error(string name, string message) =>
        new(name, [.. Enumerable.Repeat<string?>(message, Levels)]);
}
