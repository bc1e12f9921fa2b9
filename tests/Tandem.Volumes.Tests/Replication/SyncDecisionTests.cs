using FsCheck;
using FsCheck.Fluent;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Metadata;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Tests.Replication;

public class SyncDecisionTests
{
    private static readonly VolumeDefinition Def = DefinitionFile.Parse("""
        { "name": "v", "size": "1G", "secret": "0123456789abcdef",
          "replicas": [ { "node": "a", "address": "127.0.0.1:7000", "disk": "/a" },
                        { "node": "b", "address": "127.0.0.1:7001", "disk": "/b" } ] }
        """, "v.json");

    private static ReplicaView V(ulong c, ulong b = 0, ulong h1 = 0, ulong h2 = 0, Role role = Role.Secondary, bool crashed = false, bool discard = false, long dirty = 0) =>
        new(new GenerationIds(c, b, h1, h2), role, crashed, discard, dirty);

    private static SyncPlan Decide(ReplicaView self, ReplicaView peer, VolumeDefinition? d = null) => SyncDecision.Decide(self, peer, d ?? Def, selfWinsTies: true);

    [Fact]
    public void Fresh_replicas_do_not_sync_until_one_is_forced_primary()
    {
        Assert.Equal(SyncDirection.None, Decide(V(0), V(0)).Direction);
        var plan = Decide(V(0x10), V(0));
        Assert.Equal((SyncDirection.Source, true), (plan.Direction, plan.FullSync));
    }

    [Fact]
    public void Same_generation_needs_no_sync()
    {
        Assert.Equal(SyncDirection.None, Decide(V(5, 0, 3), V(5, 0, 3)).Direction);
    }

    [Fact]
    public void A_primary_that_wrote_alone_is_the_bitmap_source()
    {
        // The Primary lost its peer: new generation 9, bitmap counting from 5, which the peer still holds.
        var plan = Decide(V(9, 5, role: Role.Primary, dirty: 2560), V(5));
        Assert.Equal((SyncDirection.Source, false), (plan.Direction, plan.FullSync));
        Assert.Equal((SyncDirection.Target, false), (Decide(V(5), V(9, 5, role: Role.Primary)).Direction, false));
    }

    [Fact]
    public void A_generation_only_in_history_needs_a_full_sync()
    {
        var plan = Decide(V(3), V(9, 0, 5, 3));
        Assert.Equal((SyncDirection.Target, true), (plan.Direction, plan.FullSync));
    }

    [Fact]
    public void Both_wrote_since_a_common_ancestor_is_split_brain()
    {
        var plan = Decide(V(7, 5, dirty: 10), V(9, 5, dirty: 20));
        Assert.Equal(SyncDirection.SplitBrain, plan.Direction);
        Assert.Contains("--discard-my-data", plan.Reason);
    }

    [Fact]
    public void Discard_my_data_makes_the_victim_the_target_of_a_bitmap_resync()
    {
        var plan = Decide(V(7, 5, discard: true), V(9, 5, role: Role.Primary));
        Assert.Equal((SyncDirection.Target, false), (plan.Direction, plan.FullSync));
        Assert.Equal(SyncDirection.Source, Decide(V(9, 5, role: Role.Primary), V(7, 5, discard: true)).Direction);
    }

    [Fact]
    public void Unrelated_data_is_never_synced_even_when_asked_to_discard()
    {
        Assert.Equal(SyncDirection.Unrelated, Decide(V(7, 6), V(9, 8)).Direction);
        Assert.Equal(SyncDirection.Unrelated, Decide(V(7, 6, discard: true), V(9, 8)).Direction);
    }

    [Fact]
    public void Only_one_primary_while_connected()
    {
        Assert.Equal(SyncDirection.Refused, Decide(V(5, role: Role.Primary), V(5, role: Role.Primary)).Direction);
    }

    [Fact]
    public void A_primary_is_never_made_a_sync_target()
    {
        var plan = Decide(V(5, role: Role.Primary), V(9, 5));
        Assert.Equal(SyncDirection.Refused, plan.Direction);
    }

    [Fact]
    public void A_crashed_primary_resyncs_its_hot_extents_to_the_peer()
    {
        Assert.Equal((SyncDirection.Source, false), (Decide(V(5, crashed: true), V(5)).Direction, false));
        Assert.Equal(SyncDirection.Target, Decide(V(5), V(5, crashed: true)).Direction);
    }

    [Theory]
    [InlineData("discard-zero-changes", 0, 20, SyncDirection.Target)]
    [InlineData("discard-zero-changes", 20, 0, SyncDirection.Source)]
    [InlineData("discard-zero-changes", 5, 20, SyncDirection.SplitBrain)]
    [InlineData("discard-least-changes", 5, 20, SyncDirection.Target)]
    [InlineData("discard-least-changes", 20, 5, SyncDirection.Source)]
    [InlineData("discard-least-changes", 7, 7, SyncDirection.SplitBrain)]
    [InlineData("disconnect", 0, 20, SyncDirection.SplitBrain)]
    public void After_sb_0pri_policies(string policy, long mine, long theirs, SyncDirection expected)
    {
        var d = DefinitionFile.Parse(DefinitionFile.Format(Def).Replace("\"after-sb-0pri\": \"disconnect\"", $"\"after-sb-0pri\": \"{policy}\""), "v");
        Assert.Equal(expected, Decide(V(7, 5, dirty: mine), V(9, 5, dirty: theirs), d).Direction);
    }

    [Fact]
    public void After_sb_1pri_discard_secondary_discards_the_secondary()
    {
        var d = Def with { AfterSb1Pri = SplitBrainPolicy.DiscardSecondary };
        Assert.Equal(SyncDirection.Target, Decide(V(7, 5), V(9, 5, role: Role.Primary), d).Direction);
        Assert.Equal(SyncDirection.Source, Decide(V(9, 5, role: Role.Primary), V(7, 5), d).Direction);
    }

    [Fact]
    public void After_sb_1pri_consensus_follows_0pri_only_when_it_discards_the_secondary()
    {
        var d = Def with { AfterSb0Pri = SplitBrainPolicy.DiscardLeastChanges, AfterSb1Pri = SplitBrainPolicy.Consensus };
        Assert.Equal(SyncDirection.Target, Decide(V(7, 5, dirty: 1), V(9, 5, role: Role.Primary, dirty: 50), d).Direction);
        Assert.Equal(SyncDirection.SplitBrain, Decide(V(7, 5, dirty: 50), V(9, 5, role: Role.Primary, dirty: 1), d).Direction);
    }

    [Fact]
    public void Both_replicas_reach_mirror_image_decisions()
    {
        // Ids from a small pool so that matches (and so every rule) happen often.
        var id = Gen.Elements(0UL, 0UL, 1UL, 2UL, 3UL, 4UL);
        var view = from c in id
                   from b in id
                   from h1 in id
                   from h2 in id
                   from role in Gen.Elements(Role.Primary, Role.Secondary, Role.Secondary)
                   from crashed in Gen.Elements(true, false)
                   from discard in Gen.Elements(false, false, true)
                   from dirty in Gen.Choose(0, 3)
                   select new ReplicaView(new GenerationIds(c, b, h1, h2), role, crashed, discard, dirty);
        var policies = Gen.Elements(
            Def,
            Def with { AfterSb0Pri = SplitBrainPolicy.DiscardZeroChanges, AfterSb1Pri = SplitBrainPolicy.Consensus },
            Def with { AfterSb0Pri = SplitBrainPolicy.DiscardLeastChanges, AfterSb1Pri = SplitBrainPolicy.DiscardSecondary });
        var cases = from a in view
                    from b in view
                    from d in policies
                    select (a, b, d);
        Check.QuickThrowOnFailure(Prop.ForAll(Arb.From(cases), t =>
        {
            var (a, b, d) = t;
            var ab = SyncDecision.Decide(a, b, d, selfWinsTies: true);
            var ba = SyncDecision.Decide(b, a, d, selfWinsTies: false);
            return ab.Mirror().Direction == ba.Direction && ab.FullSync == ba.FullSync;
        }));
    }
}
