using Tandem.Volumes.Definition;

namespace Tandem.Volumes.Replication;

/// <summary>
/// Decides, from both replicas' generation identifiers, which way a resync goes, whether the bitmaps
/// suffice, and whether the replicas split. The rules are DRBD's (user's guide, "generation identifiers"):
/// equal current ids need no sync; a bitmap id equal to the peer's current id makes that side the source
/// of a bitmap resync; a current id found in the peer's history means a full sync from the peer; equal
/// bitmap ids with different current ids is a split brain (both wrote since a common ancestor); no id in
/// common means unrelated data. Both replicas run it and reach mirror-image answers.
/// </summary>
public static class SyncDecision
{
    /// <param name="self">This replica.</param>
    /// <param name="peer">The peer replica.</param>
    /// <param name="definition">The split-brain policies in force.</param>
    /// <param name="selfWinsTies">Breaks exact ties; must be the opposite on the peer (e.g. by node name).</param>
    public static SyncPlan Decide(ReplicaView self, ReplicaView peer, VolumeDefinition definition, bool selfWinsTies)
    {
        var plan = DecideData(self, peer, definition, selfWinsTies);
        if (plan.Direction == SyncDirection.Target && self.Role == Role.Primary)
        {
            return new SyncPlan(SyncDirection.Refused, false, "the Primary holds older data than its peer: demote it before connecting");
        }
        if (plan.Direction == SyncDirection.Source && peer.Role == Role.Primary)
        {
            return new SyncPlan(SyncDirection.Refused, false, "the peer is Primary but holds older data: demote it before connecting");
        }
        return plan;
    }

    private static SyncPlan DecideData(ReplicaView self, ReplicaView peer, VolumeDefinition definition, bool selfWinsTies)
    {
        var (s, p) = (self.Ids, peer.Ids);
        if (self.Role == Role.Primary && peer.Role == Role.Primary)
        {
            return Refused("both replicas are Primary; only one may be while connected");
        }
        if (self.DiscardMyData && peer.DiscardMyData)
        {
            return Refused("both replicas asked to discard their data");
        }
        if (s.Current == 0 && p.Current == 0)
        {
            return new SyncPlan(SyncDirection.None, false, "no data generation on either replica yet: make one Primary with --force to start the initial sync");
        }
        if (s.Current == 0)
        {
            return new SyncPlan(SyncDirection.Target, true, "this replica holds no data generation yet: full sync from the peer");
        }
        if (p.Current == 0)
        {
            return new SyncPlan(SyncDirection.Source, true, "the peer holds no data generation yet: full sync to the peer");
        }
        if (s.Current == p.Current)
        {
            // Same generation; a crashed Primary may have written into its hot extents without the peer.
            if (self.CrashedPrimary != peer.CrashedPrimary)
            {
                return self.CrashedPrimary
                    ? new SyncPlan(SyncDirection.Source, false, "same generation; this replica crashed as Primary: resync its hot extents to the peer")
                    : new SyncPlan(SyncDirection.Target, false, "same generation; the peer crashed as Primary: resync its hot extents from it");
            }
            if (self.CrashedPrimary)
            {
                return selfWinsTies
                    ? new SyncPlan(SyncDirection.Source, false, "same generation; both crashed as Primary: resync hot extents from this replica (tie-break)")
                    : new SyncPlan(SyncDirection.Target, false, "same generation; both crashed as Primary: resync hot extents from the peer (tie-break)");
            }
            return new SyncPlan(SyncDirection.None, false, "same data generation");
        }
        var selfAhead = s.Bitmap != 0 && s.Bitmap == p.Current;
        var peerAhead = p.Bitmap != 0 && p.Bitmap == s.Current;
        if (selfAhead && !peerAhead)
        {
            return new SyncPlan(SyncDirection.Source, false, "the peer holds the generation this replica's bitmap counts from: bitmap resync to the peer");
        }
        if (peerAhead && !selfAhead)
        {
            return new SyncPlan(SyncDirection.Target, false, "this replica holds the generation the peer's bitmap counts from: bitmap resync from the peer");
        }
        if (!selfAhead && s.Bitmap != 0 && s.Bitmap == p.Bitmap)
        {
            return SplitBrain(self, peer, definition, selfWinsTies, fullSync: false);
        }
        var selfOlder = InHistory(s.Current, p);
        var peerOlder = InHistory(p.Current, s);
        if (selfOlder && !peerOlder)
        {
            return new SyncPlan(SyncDirection.Target, true, "this replica's generation is in the peer's history: full sync from the peer");
        }
        if (peerOlder && !selfOlder)
        {
            return new SyncPlan(SyncDirection.Source, true, "the peer's generation is in this replica's history: full sync to the peer");
        }
        if (Related(s, p))
        {
            return SplitBrain(self, peer, definition, selfWinsTies, fullSync: true);
        }
        return new SyncPlan(SyncDirection.Unrelated, false,
            "the replicas share no data generation (unrelated data): run create-md on the replica to overwrite, then connect");
    }

    private static SyncPlan SplitBrain(ReplicaView self, ReplicaView peer, VolumeDefinition d, bool selfWinsTies, bool fullSync)
    {
        if (self.DiscardMyData)
        {
            return new SyncPlan(SyncDirection.Target, fullSync, "split brain resolved by --discard-my-data on this replica");
        }
        if (peer.DiscardMyData)
        {
            return new SyncPlan(SyncDirection.Source, fullSync, "split brain resolved by --discard-my-data on the peer");
        }
        var primaries = (self.Role == Role.Primary ? 1 : 0) + (peer.Role == Role.Primary ? 1 : 0);
        SyncDirection? auto = null;
        var policy = SplitBrainPolicy.Disconnect;
        if (!fullSync)
        {
            switch (primaries)
            {
                case 0:
                    policy = d.AfterSb0Pri;
                    auto = ZeroPrimaries(d.AfterSb0Pri, self, peer, selfWinsTies);
                    break;
                case 1:
                    policy = d.AfterSb1Pri;
                    var secondaryLoses = self.Role == Role.Primary ? SyncDirection.Source : SyncDirection.Target;
                    auto = d.AfterSb1Pri switch
                    {
                        SplitBrainPolicy.DiscardSecondary => secondaryLoses,
                        SplitBrainPolicy.Consensus when ZeroPrimaries(d.AfterSb0Pri, self, peer, selfWinsTies) == secondaryLoses => secondaryLoses,
                        _ => null,
                    };
                    break;
                default:
                    policy = d.AfterSb2Pri;
                    break;
            }
        }
        if (auto is { } direction)
        {
            return new SyncPlan(direction, false, $"split brain resolved automatically by {DefinitionFile.PolicyName(policy)}: " +
                (direction == SyncDirection.Target ? "this replica's changes are discarded" : "the peer's changes are discarded"));
        }
        return new SyncPlan(SyncDirection.SplitBrain, fullSync,
            "split brain: both replicas wrote while apart; run 'connect --discard-my-data' on the replica whose changes are to be thrown away");
    }

    private static SyncDirection? ZeroPrimaries(SplitBrainPolicy policy, ReplicaView self, ReplicaView peer, bool selfWinsTies)
    {
        var (mine, theirs) = (self.OutOfSyncBlocks, peer.OutOfSyncBlocks);
        return policy switch
        {
            SplitBrainPolicy.DiscardZeroChanges when mine == 0 && theirs == 0 => selfWinsTies ? SyncDirection.Source : SyncDirection.Target,
            SplitBrainPolicy.DiscardZeroChanges when mine == 0 => SyncDirection.Target,
            SplitBrainPolicy.DiscardZeroChanges when theirs == 0 => SyncDirection.Source,
            SplitBrainPolicy.DiscardLeastChanges when mine < theirs => SyncDirection.Target,
            SplitBrainPolicy.DiscardLeastChanges when theirs < mine => SyncDirection.Source,
            _ => null,
        };
    }

    private static bool InHistory(ulong id, Metadata.GenerationIds ids) => id != 0 && (id == ids.History1 || id == ids.History2);

    private static bool Related(Metadata.GenerationIds a, Metadata.GenerationIds b)
    {
        ReadOnlySpan<ulong> x = [a.Current, a.Bitmap, a.History1, a.History2];
        ReadOnlySpan<ulong> y = [b.Current, b.Bitmap, b.History1, b.History2];
        foreach (var i in x)
        {
            if (i != 0 && y.Contains(i))
            {
                return true;
            }
        }
        return false;
    }

    private static SyncPlan Refused(string reason) => new(SyncDirection.Refused, false, reason);
}
