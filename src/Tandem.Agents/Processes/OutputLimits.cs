namespace Tandem.Agents.Processes;

/// <summary>How much of each output stream is kept: its first <see cref="HeadBytes"/> and last
/// <see cref="TailBytes"/> bytes. An agent that floods output costs at most this much memory.</summary>
public sealed record OutputLimits(int HeadBytes, int TailBytes)
{
    public static OutputLimits Default { get; } = new(32 * 1024, 32 * 1024);
}
