namespace Tandem.Volumes.Tests.Devices;

/// <summary>Tests with real FUSE mounts, loop devices and file systems run one at a time (two shared cores).</summary>
[CollectionDefinition("Devices", DisableParallelization = true)]
public sealed class DeviceCollection;
