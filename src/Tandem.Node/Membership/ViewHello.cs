using Tandem.Bus;
using Tandem.Node.Configuration;

namespace Tandem.Node.Membership;

/// <summary>
/// What every member multicasts after a view change: who it is and which coordinator it followed.
/// The configuration and status stores piggyback their versions on the same exchange.
/// </summary>
public sealed record ViewHello(string NodeName, BusMember? FollowedCoordinator, ConfigStamp? Config = null) : DaemonMessage;
