namespace Tandem.Node.Status;

/// <summary>
/// What membership says of a node when a snapshot is taken: corosync sees it (<paramref name="InMembership"/>),
/// its daemon is in the group (<paramref name="DaemonRunning"/>), and whether the cluster expects it up
/// (false after it left cleanly, so its absence needs no fencing).
/// </summary>
public sealed record NodeFacts(uint NodeId, string Name, bool InMembership, bool DaemonRunning, bool ExpectedUp);
