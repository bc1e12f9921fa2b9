namespace Tandem.Agents.Processes;

/// <summary>What was kept of one output stream: the text (head, a marker, tail when bytes were dropped),
/// the total number of bytes the process wrote, and the last OCF exit reason found anywhere in it.</summary>
public sealed record CapturedOutput(string Text, long TotalBytes, long DroppedBytes, string? ExitReason)
{
    public static CapturedOutput Empty { get; } = new("", 0, 0, null);
}
