namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>A seed passed its step limit: the daemons never came to rest.</summary>
public sealed class LivelockException(string message) : Exception(message);
