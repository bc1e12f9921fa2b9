using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Replication;

/// <summary>What one replica tells the other at handshake: enough to decide the resync direction.</summary>
/// <param name="Ids">Generation identifiers.</param>
/// <param name="Role">Current role.</param>
/// <param name="CrashedPrimary">It was Primary when it last stopped without a clean demotion.</param>
/// <param name="DiscardMyData">The operator asked to throw this replica's changes away (split-brain victim).</param>
/// <param name="OutOfSyncBlocks">Blocks marked in its bitmap (its changes since the bitmap generation).</param>
public readonly record struct ReplicaView(GenerationIds Ids, Role Role, bool CrashedPrimary, bool DiscardMyData, long OutOfSyncBlocks);
