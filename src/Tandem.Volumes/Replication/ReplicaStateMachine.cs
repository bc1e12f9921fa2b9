using Tandem.Volumes.Metadata;

namespace Tandem.Volumes.Replication;

/// <summary>
/// The role, connection and disk states of one replica and of its peer as this replica sees them, with
/// the generation ids and flags that go with them. Pure: every change goes through <see cref="Set"/>,
/// which reports the transition; the caller persists <see cref="Superblock"/> when <see cref="TakeSuperblockChange"/> says so.
/// </summary>
public sealed class ReplicaStateMachine
{
    private readonly Func<ulong> _newId;
    private readonly Action<string> _log;
    private bool _superblockChanged;

    public ReplicaStateMachine(Superblock superblock, Func<ulong> newId, Action<string> log)
    {
        _newId = newId;
        _log = log;
        var sb = superblock;
        if (sb.Has(MetadataFlags.Primary))
        {
            sb = sb.With(MetadataFlags.Primary, false).With(MetadataFlags.CrashedPrimary, true);
            _superblockChanged = true;
        }
        Superblock = sb;
        Disk = !sb.Has(MetadataFlags.Consistent) ? DiskState.Inconsistent
            : sb.Has(MetadataFlags.Outdated) ? DiskState.Outdated
            : sb.Has(MetadataFlags.PeerOutdated) ? DiskState.UpToDate
            : DiskState.Consistent;
        PeerDisk = sb.Has(MetadataFlags.PeerOutdated) ? DiskState.Outdated : DiskState.DUnknown;
    }

    public Role Role { get; private set; } = Role.Secondary;

    public ConnectionState Connection { get; private set; } = ConnectionState.StandAlone;

    public DiskState Disk { get; private set; }

    public Role PeerRole { get; private set; } = Role.Unknown;

    public DiskState PeerDisk { get; private set; }

    public Superblock Superblock { get; private set; }

    /// <summary>Set by <c>connect --discard-my-data</c>; cleared by the next completed handshake.</summary>
    public bool DiscardMyData { get; private set; }

    /// <summary>Why the replica is StandAlone or refused something last (split brain, refused handshake).</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// StandAlone because of a split brain: the replica still meets its peer, exchanging no data, so that
    /// <c>connect --discard-my-data</c> on the victim alone resolves it (DRBD's survivor waits the same way).
    /// </summary>
    public bool AwaitingSplitBrainResolution { get; private set; }

    /// <summary>True while the replica looks for its peer: Connecting, or waiting for a split brain's victim.</summary>
    public bool WantsPeer => Connection == ConnectionState.Connecting || AwaitingSplitBrainResolution;

    public bool IsConnected => Connection is ConnectionState.Connected or ConnectionState.SyncSource or ConnectionState.SyncTarget;

    public bool CrashedPrimary => Superblock.Has(MetadataFlags.CrashedPrimary);

    public ReplicaView View(long outOfSyncBlocks) => new(Superblock.Ids, Role, CrashedPrimary, DiscardMyData, outOfSyncBlocks);

    /// <summary>True once after the superblock changed, so the caller writes it.</summary>
    public bool TakeSuperblockChange()
    {
        var changed = _superblockChanged;
        _superblockChanged = false;
        return changed;
    }

    /// <summary>Checks a promotion without doing it; throws with the reason when it is refused.</summary>
    public void CheckPromote(bool force)
    {
        if (Role == Role.Primary)
        {
            return;
        }
        if (IsConnected && PeerRole == Role.Primary)
        {
            throw new VolumeStateException("the peer is Primary: demote it first (only one Primary while connected)");
        }
        if (Connection == ConnectionState.SyncTarget)
        {
            throw new VolumeStateException("this replica is receiving a resync (SyncTarget): wait until it is UpToDate");
        }
        if (Disk == DiskState.UpToDate || force)
        {
            return;
        }
        throw new VolumeStateException(Disk == DiskState.Consistent
            ? "disk is Consistent but the peer is unknown and may hold newer data: connect to the peer, or promote with --force"
            : $"disk is {Disk}: refusing to promote stale data (use --force to promote it anyway)");
    }

    public void Promote(bool force)
    {
        CheckPromote(force);
        if (Role == Role.Primary)
        {
            return;
        }
        var sb = Superblock.With(MetadataFlags.Primary, true);
        var disk = Disk;
        if (disk != DiskState.UpToDate)
        {
            _log($"forced promotion of a {disk} disk");
            disk = DiskState.UpToDate;
            sb = sb.With(MetadataFlags.Consistent, true).With(MetadataFlags.Outdated, false) with { Ids = sb.Ids.NewCurrent(_newId()) };
        }
        else if (!IsConnected)
        {
            // A Primary without its peer starts a new data generation; the bitmap counts from the old one.
            sb = sb with { Ids = sb.Ids.NewCurrent(_newId()) };
        }
        Set(Role.Primary, Connection, disk, PeerRole, PeerDisk, sb);
    }

    public void Demote()
    {
        if (Role == Role.Primary)
        {
            Set(Role.Secondary, Connection, Disk, PeerRole, PeerDisk, Superblock.With(MetadataFlags.Primary, false));
        }
    }

    public void Connect(bool discardMyData)
    {
        if (IsConnected)
        {
            throw new VolumeStateException($"already {Connection}");
        }
        if (discardMyData && Role == Role.Primary)
        {
            throw new VolumeStateException("--discard-my-data on a Primary: demote it first (secondary)");
        }
        DiscardMyData = discardMyData;
        Problem = null;
        AwaitingSplitBrainResolution = false;
        Set(Role, ConnectionState.Connecting, Disk, PeerRole, PeerDisk, Superblock);
    }

    /// <summary>The operator's disconnect: stop trying. A Secondary leaving a Primary peer marks itself Outdated.</summary>
    public void Disconnect()
    {
        var wasConnected = IsConnected;
        var peerRole = PeerRole;
        AwaitingSplitBrainResolution = false;
        Lost(ConnectionState.StandAlone);
        if (wasConnected && peerRole == Role.Primary && Role == Role.Secondary)
        {
            Outdate();
        }
    }

    /// <summary>The link broke (timeout, error, peer gone): try again.</summary>
    public void ConnectionLost() => Lost(IsConnected || Connection == ConnectionState.Connecting ? ConnectionState.Connecting : Connection);

    /// <summary>The handshake refused the connection or found a split brain: StandAlone until the operator acts.</summary>
    public void GiveUp(string problem, bool splitBrain = false)
    {
        Problem = problem;
        AwaitingSplitBrainResolution = splitBrain;
        Lost(ConnectionState.StandAlone);
    }

    /// <summary>A completed handshake: the plan says which way data flows.</summary>
    public void Connected(SyncPlan plan, Role peerRole, DiskState peerDisk)
    {
        DiscardMyData = false;
        AwaitingSplitBrainResolution = false;
        Problem = null;
        var sb = Superblock.With(MetadataFlags.CrashedPrimary, false).With(MetadataFlags.PeerOutdated, false);
        switch (plan.Direction)
        {
            case SyncDirection.None:
                var disk = Disk == DiskState.Inconsistent || sb.Ids.Current == 0 ? Disk : DiskState.UpToDate;
                var peer = peerDisk == DiskState.Inconsistent ? peerDisk : disk == DiskState.UpToDate ? DiskState.UpToDate : peerDisk;
                if (disk == DiskState.UpToDate)
                {
                    sb = sb.With(MetadataFlags.Outdated, false);
                }
                Set(Role, ConnectionState.Connected, disk, peerRole, peer, sb);
                break;
            case SyncDirection.Source:
                Set(Role, ConnectionState.SyncSource, Disk is DiskState.Consistent or DiskState.Outdated ? DiskState.UpToDate : Disk, peerRole, DiskState.Inconsistent, sb.With(MetadataFlags.Outdated, false));
                break;
            case SyncDirection.Target:
                Set(Role, ConnectionState.SyncTarget, DiskState.Inconsistent, peerRole, DiskState.UpToDate, sb.With(MetadataFlags.Consistent, false));
                break;
            default:
                throw new ArgumentException($"not a connecting plan: {plan.Direction}", nameof(plan));
        }
    }

    /// <summary>This replica, sync target, received everything: it now holds the source's generation.</summary>
    public void ResyncFinishedAsTarget(GenerationIds sourceIds)
    {
        var sb = Superblock.With(MetadataFlags.Consistent, true).With(MetadataFlags.Outdated, false) with { Ids = GenerationIds.AdoptFrom(sourceIds) };
        Set(Role, ConnectionState.Connected, DiskState.UpToDate, PeerRole, DiskState.UpToDate, sb);
    }

    /// <summary>This replica, sync source, saw the target finish: its bitmap generation goes to history.</summary>
    public void ResyncFinishedAsSource() =>
        Set(Role, ConnectionState.Connected, Disk, PeerRole, DiskState.UpToDate, Superblock with { Ids = Superblock.Ids.BitmapDone() });

    public void PeerChanged(Role role, DiskState disk) => Set(Role, Connection, Disk, role, disk, Superblock);

    /// <summary>Marks this replica's data as older than the peer's (graceful disconnect from a Primary, or the cluster said so).</summary>
    public void Outdate()
    {
        if (Role == Role.Primary)
        {
            throw new VolumeStateException("a Primary cannot be outdated: demote it first");
        }
        if (Disk is DiskState.Consistent or DiskState.UpToDate)
        {
            Set(Role, Connection, DiskState.Outdated, PeerRole, PeerDisk, Superblock.With(MetadataFlags.Outdated, true));
        }
    }

    /// <summary>The peer is known Outdated (it said so, or the fence-peer hook confirmed it).</summary>
    public void PeerOutdated()
    {
        var disk = Disk == DiskState.Consistent ? DiskState.UpToDate : Disk;
        Set(Role, Connection, disk, PeerRole, DiskState.Outdated, Superblock.With(MetadataFlags.PeerOutdated, true));
    }

    private void Lost(ConnectionState next)
    {
        var sb = Superblock;
        if (IsConnected && Role == Role.Primary)
        {
            sb = sb with { Ids = sb.Ids.NewCurrent(_newId()) };
        }
        var peerDisk = PeerDisk == DiskState.Outdated && !IsConnected ? DiskState.Outdated : DiskState.DUnknown;
        Set(Role, next, Disk, Role.Unknown, peerDisk, sb);
    }

    /// <summary>The one place where state changes.</summary>
    private void Set(Role role, ConnectionState connection, DiskState disk, Role peerRole, DiskState peerDisk, Superblock sb)
    {
        if (role != Role || connection != Connection || disk != Disk || peerRole != PeerRole || peerDisk != PeerDisk)
        {
            _log($"{Connection}->{connection} {Role}/{PeerRole}->{role}/{peerRole} {Disk}/{PeerDisk}->{disk}/{peerDisk}");
        }
        if (!ReferenceEquals(sb, Superblock) && sb != Superblock)
        {
            _superblockChanged = true;
            if (sb.Ids != Superblock.Ids)
            {
                _log($"generation ids {Superblock.Ids} -> {sb.Ids}");
            }
        }
        (Role, Connection, Disk, PeerRole, PeerDisk, Superblock) = (role, connection, disk, peerRole, peerDisk, sb);
    }
}
