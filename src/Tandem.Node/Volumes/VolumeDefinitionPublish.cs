namespace Tandem.Node.Volumes;

/// <summary>
/// A volume definition file (<c>tandem volume create</c>) for the nodes that hold its replicas. It travels on
/// the cluster bus because that channel already reaches every node and is authenticated by corosync's key;
/// each named node writes it to its volumes directory and answers with <see cref="VolumeDefinitionWritten"/>.
/// The daemon carries the document without reading it: the volume service owns its format.
/// </summary>
/// The definition is replaced on a node only with <c>Replace</c>; a node holding a different one refuses.
public sealed record VolumeDefinitionPublish(string RequestId, string Volume, string Document, IReadOnlyList<string> Nodes, bool Replace) : DaemonMessage;
