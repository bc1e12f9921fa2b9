namespace Tandem.Scheduler.Working;

/// <summary>Cluster-wide settings and facts the scheduler consults (Pacemaker's working-set flags).</summary>
[Flags]
internal enum ClusterFlags
{
    None = 0,
    HaveQuorum = 1 << 0,
    SymmetricCluster = 1 << 1,
    MaintenanceMode = 1 << 2,
    StonithEnabled = 1 << 3,
    HaveStonithResource = 1 << 4,
    EnableUnfencing = 1 << 5,
    ConcurrentFencing = 1 << 6,
    StopRscOrphans = 1 << 7,
    StopActionOrphans = 1 << 8,
    StopEverything = 1 << 9,
    StartFailureFatal = 1 << 10,
    RemoveAfterStop = 1 << 11,
    StartupFencing = 1 << 12,
    ShutdownLock = 1 << 13,
    StartupProbes = 1 << 14,
    HaveRemoteNodes = 1 << 15,
    /// <summary>Simulation: changes of private parameters alone do not count as changes.</summary>
    Sanitized = 1 << 16,
}
