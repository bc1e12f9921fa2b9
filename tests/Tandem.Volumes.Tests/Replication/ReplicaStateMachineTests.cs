using Tandem.Volumes.Metadata;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Tests.Replication;

public class ReplicaStateMachineTests
{
    private ulong _nextId = 0x100;
    private readonly List<string> _log = [];

    private ReplicaStateMachine Machine(MetadataFlags flags, GenerationIds ids = default) =>
        new(new Superblock { VolumeName = "v", SizeBytes = 1 << 30, AlExtents = 64, Flags = flags, Ids = ids }, () => _nextId++, _log.Add);

    [Theory]
    [InlineData(MetadataFlags.None, DiskState.Inconsistent)]
    [InlineData(MetadataFlags.Consistent, DiskState.Consistent)]
    [InlineData(MetadataFlags.Consistent | MetadataFlags.Outdated, DiskState.Outdated)]
    [InlineData(MetadataFlags.Consistent | MetadataFlags.PeerOutdated, DiskState.UpToDate)]
    public void Attach_takes_the_disk_state_from_the_flags(MetadataFlags flags, DiskState disk)
    {
        var m = Machine(flags);
        Assert.Equal((disk, Role.Secondary, ConnectionState.StandAlone), (m.Disk, m.Role, m.Connection));
    }

    [Theory]
    [InlineData(MetadataFlags.None, "disk is Inconsistent: refusing to promote stale data")]
    [InlineData(MetadataFlags.Consistent | MetadataFlags.Outdated, "disk is Outdated: refusing to promote stale data")]
    [InlineData(MetadataFlags.Consistent, "disk is Consistent but the peer is unknown")]
    public void Promotion_of_data_not_known_newest_is_refused_without_force(MetadataFlags flags, string reason)
    {
        var m = Machine(flags, new GenerationIds(5, 0, 0, 0));
        var e = Assert.Throws<VolumeStateException>(() => m.Promote(force: false));
        Assert.StartsWith(reason, e.Message);
        Assert.Equal(Role.Secondary, m.Role);
    }

    [Fact]
    public void Forced_promotion_makes_a_new_generation_and_an_up_to_date_disk()
    {
        var m = Machine(MetadataFlags.None);
        m.Promote(force: true);
        Assert.Equal((Role.Primary, DiskState.UpToDate), (m.Role, m.Disk));
        Assert.Equal(new GenerationIds(0x100, 0, 0, 0), m.Superblock.Ids);
        Assert.True(m.Superblock.Has(MetadataFlags.Consistent | MetadataFlags.Primary));
        Assert.True(m.TakeSuperblockChange());
    }

    [Fact]
    public void The_peer_being_primary_blocks_promotion_while_connected()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.Connected(new SyncPlan(SyncDirection.None, false, ""), Role.Primary, DiskState.UpToDate);
        Assert.Equal(DiskState.UpToDate, m.Disk);
        var e = Assert.Throws<VolumeStateException>(() => m.Promote(force: true));
        Assert.Contains("only one Primary", e.Message);
    }

    [Fact]
    public void A_primary_losing_its_peer_starts_a_new_generation_once()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.Connected(new SyncPlan(SyncDirection.None, false, ""), Role.Secondary, DiskState.UpToDate);
        m.Promote(false);
        Assert.Equal(5UL, m.Superblock.Ids.Current);
        m.ConnectionLost();
        Assert.Equal(ConnectionState.Connecting, m.Connection);
        Assert.Equal((DiskState.UpToDate, DiskState.DUnknown, Role.Unknown), (m.Disk, m.PeerDisk, m.PeerRole));
        Assert.Equal(new GenerationIds(0x100, 5, 0, 0), m.Superblock.Ids);
        m.ConnectionLost();
        Assert.Equal(new GenerationIds(0x100, 5, 0, 0), m.Superblock.Ids);
    }

    [Fact]
    public void A_secondary_losing_its_primary_stays_up_to_date_and_promotable()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.Connected(new SyncPlan(SyncDirection.None, false, ""), Role.Primary, DiskState.UpToDate);
        m.ConnectionLost();
        m.Promote(false);
        Assert.Equal((Role.Primary, new GenerationIds(0x100, 5, 0, 0)), (m.Role, m.Superblock.Ids));
    }

    [Fact]
    public void A_secondary_disconnecting_from_a_primary_outdates_itself()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.Connected(new SyncPlan(SyncDirection.None, false, ""), Role.Primary, DiskState.UpToDate);
        m.Disconnect();
        Assert.Equal((ConnectionState.StandAlone, DiskState.Outdated), (m.Connection, m.Disk));
        Assert.True(m.Superblock.Has(MetadataFlags.Outdated));
        Assert.Throws<VolumeStateException>(() => m.Promote(false));
    }

    [Fact]
    public void A_crashed_primary_is_remembered_until_the_next_handshake()
    {
        var m = Machine(MetadataFlags.Consistent | MetadataFlags.Primary, new GenerationIds(5, 0, 0, 0));
        Assert.True(m.CrashedPrimary);
        Assert.False(m.Superblock.Has(MetadataFlags.Primary));
        Assert.True(m.TakeSuperblockChange());
        Assert.True(m.View(0).CrashedPrimary);
        m.Connect(false);
        m.Connected(new SyncPlan(SyncDirection.Source, false, ""), Role.Secondary, DiskState.Consistent);
        Assert.False(m.CrashedPrimary);
    }

    [Fact]
    public void A_sync_target_adopts_the_source_generation_when_done()
    {
        var target = Machine(MetadataFlags.None);
        target.Connect(false);
        target.Connected(new SyncPlan(SyncDirection.Target, true, ""), Role.Primary, DiskState.UpToDate);
        Assert.Equal((ConnectionState.SyncTarget, DiskState.Inconsistent), (target.Connection, target.Disk));
        Assert.Throws<VolumeStateException>(() => target.Promote(true));
        target.ResyncFinishedAsTarget(new GenerationIds(9, 5, 3, 0));
        Assert.Equal((ConnectionState.Connected, DiskState.UpToDate), (target.Connection, target.Disk));
        Assert.Equal(new GenerationIds(9, 0, 5, 3), target.Superblock.Ids);
        Assert.True(target.Superblock.Has(MetadataFlags.Consistent));
    }

    [Fact]
    public void Discard_my_data_is_refused_on_a_primary_and_cleared_by_a_handshake()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Promote(true);
        Assert.Throws<VolumeStateException>(() => m.Connect(discardMyData: true));
        m.Demote();
        m.Connect(discardMyData: true);
        Assert.True(m.View(0).DiscardMyData);
        m.Connected(new SyncPlan(SyncDirection.Target, false, ""), Role.Primary, DiskState.UpToDate);
        Assert.False(m.DiscardMyData);
    }

    [Fact]
    public void Split_brain_leaves_the_replica_standalone_with_the_reason()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.GiveUp("split brain: both wrote");
        Assert.Equal(ConnectionState.StandAlone, m.Connection);
        Assert.Equal("split brain: both wrote", m.Problem);
        m.Connect(false);
        Assert.Null(m.Problem);
    }

    [Fact]
    public void A_split_brain_replica_keeps_meeting_its_peer_until_the_victim_resolves_it_or_the_operator_disconnects()
    {
        var m = Machine(MetadataFlags.Consistent, new GenerationIds(5, 0, 0, 0));
        m.Connect(false);
        m.GiveUp("definition differs");
        Assert.False(m.WantsPeer);
        m.Connect(false);
        m.GiveUp("split brain: both wrote", splitBrain: true);
        Assert.Equal(ConnectionState.StandAlone, m.Connection);
        Assert.True(m.WantsPeer);
        m.Connected(new SyncPlan(SyncDirection.Source, false, "split brain resolved by --discard-my-data on the peer"), Role.Secondary, DiskState.Inconsistent);
        Assert.Equal(ConnectionState.SyncSource, m.Connection);
        Assert.Null(m.Problem);
        Assert.False(m.AwaitingSplitBrainResolution);

        m.Disconnect();
        m.Connect(false);
        m.GiveUp("split brain: both wrote", splitBrain: true);
        m.Disconnect();
        Assert.False(m.WantsPeer);
    }
}
