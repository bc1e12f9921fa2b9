using Tandem.Model;

namespace Tandem.Node.Configuration;

/// <summary>
/// The whole configuration, sent after a membership change by the member holding the winning version
/// to every member that holds another one (a joining node, or the other side of a healed split).
/// </summary>
public sealed record ConfigFull(ConfigVersion Version, string Digest, string Document) : DaemonMessage;
