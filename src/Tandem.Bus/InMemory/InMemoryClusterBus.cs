using System.Threading.Channels;

namespace Tandem.Bus.InMemory;

/// <summary>
/// One process's connection to an <see cref="InMemoryNetwork"/>: the in-memory twin of
/// CorosyncClusterBus. It is created by <see cref="InMemoryNetwork.Connect"/>; the network decides
/// what it delivers and when.
/// </summary>
public sealed class InMemoryClusterBus : IClusterBus
{
    private readonly InMemoryNetwork _network;
    private readonly Channel<BusEvent> _events = Channel.CreateUnbounded<BusEvent>();

    internal InMemoryClusterBus(InMemoryNetwork network, BusMember member)
    {
        _network = network;
        Member = member;
    }

    /// <summary>This process as the group knows it: its node id and its (simulated) pid.</summary>
    public BusMember Member { get; }

    public ChannelReader<BusEvent> Events => _events.Reader;

    /// <summary>Connected to its node's corosync and a member of the group.</summary>
    public bool IsConnected => State == ProcessState.Connected;

    /// <summary>The process is gone (left, killed, or its node crashed); its event stream has ended.</summary>
    public bool HasEnded => State == ProcessState.Ended;

    internal ProcessState State { get; set; } = ProcessState.Disconnected;

    /// <summary>The members of the last view this process was given, sorted.</summary>
    internal List<BusMember> View { get; set; } = [];

    public ValueTask<bool> TrySendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(_network.Send(this, payload));
    }

    public ValueTask<ClusterInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<ClusterInfo>(_network.GetInfo(this));
    }

    /// <summary>Leaves the group cleanly: the others see it leave with <see cref="LeaveReason.Leave"/>.</summary>
    public ValueTask DisposeAsync()
    {
        _network.Leave(this, LeaveReason.Leave);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Member.ToString();

    internal void Emit(BusEvent busEvent) => _events.Writer.TryWrite(busEvent);

    internal void End()
    {
        State = ProcessState.Ended;
        View = [];
        _events.Writer.TryComplete();
    }

    internal enum ProcessState
    {
        Disconnected,
        Connected,
        Ended,
    }
}
