using Tandem.Model;

namespace Tandem.Node.Configuration;

/// <summary>
/// A new configuration proposed on top of <paramref name="BaseVersion"/>. Every member applies it in
/// delivery order if its configuration is still at that version (compare and set), so all members make
/// the same decision; a change that lost a race is refused everywhere and the proposer retries.
/// <paramref name="Document"/> is the configuration in its JSON face.
/// </summary>
public sealed record ConfigChange(string RequestId, ConfigVersion BaseVersion, string Document, string Description) : DaemonMessage;
