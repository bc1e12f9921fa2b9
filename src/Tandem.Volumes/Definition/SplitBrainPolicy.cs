namespace Tandem.Volumes.Definition;

/// <summary>
/// Automatic split-brain recovery (DRBD's after-sb-0pri/1pri/2pri). Only the policies that never need
/// a node to be killed are offered; the default everywhere is <see cref="Disconnect"/> (the operator decides).
/// </summary>
public enum SplitBrainPolicy
{
    /// <summary>Stay StandAlone until the operator runs <c>connect --discard-my-data</c> on the victim.</summary>
    Disconnect,

    /// <summary>0pri: if one side wrote nothing since the split, it becomes the sync target.</summary>
    DiscardZeroChanges,

    /// <summary>0pri: the side that changed fewer blocks becomes the sync target (a tie disconnects).</summary>
    DiscardLeastChanges,

    /// <summary>1pri: the Secondary's changes are discarded.</summary>
    DiscardSecondary,

    /// <summary>1pri: follow the 0pri policy if its victim is the Secondary, else disconnect.</summary>
    Consensus,
}
