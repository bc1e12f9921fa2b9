namespace Tandem.Bus;

/// <summary>
/// The bus cannot answer because this member is not connected to the membership service (corosync is
/// not running on this node, or is restarting). The message says why in one line.
/// </summary>
public sealed class BusUnavailableException(string message) : Exception(message);
