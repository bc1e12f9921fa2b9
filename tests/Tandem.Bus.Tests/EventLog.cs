using Tandem.Bus.InMemory;

namespace Tandem.Bus.Tests;

/// <summary>Collects every event each process of a simulated cluster received, in order.</summary>
internal sealed class EventLog
{
    private readonly Dictionary<BusMember, List<BusEvent>> _events = [];
    private readonly List<InMemoryClusterBus> _processes = [];

    public IReadOnlyList<InMemoryClusterBus> Processes => _processes;

    public InMemoryClusterBus Track(InMemoryClusterBus process)
    {
        _processes.Add(process);
        _events[process.Member] = [];
        Drain();
        return process;
    }

    /// <summary>Moves whatever the processes received into the log.</summary>
    public void Drain()
    {
        foreach (var process in _processes)
        {
            while (process.Events.TryRead(out var busEvent))
            {
                _events[process.Member].Add(busEvent);
            }
        }
    }

    public IReadOnlyList<BusEvent> Of(InMemoryClusterBus process)
    {
        Drain();
        return _events[process.Member];
    }

    public IReadOnlyDictionary<BusMember, List<BusEvent>> All
    {
        get
        {
            Drain();
            return _events;
        }
    }

    /// <summary>An event in one line with every field, so two runs compare by text.</summary>
    public static string Text(BusEvent busEvent) => busEvent switch
    {
        MessageDelivered m => System.Text.Encoding.UTF8.GetString(m.Payload.Span),
        ViewChanged v => $"view {v.RingSeq} [{string.Join(' ', v.Members)}] -[{string.Join(' ', v.Left.Select(l => $"{l}:{v.LeftReasons[l]}"))}] +[{string.Join(' ', v.Joined)}]",
        QuorumChanged q => $"quorum {q.Quorate} {q.RingSeq} [{string.Join(' ', q.Nodes)}]",
        _ => busEvent.ToString(),
    };

    /// <summary>The payloads a process delivered, as text.</summary>
    public IReadOnlyList<string> Messages(InMemoryClusterBus process) =>
        [.. Of(process).OfType<MessageDelivered>().Select(Text)];

    public T Last<T>(InMemoryClusterBus process) where T : BusEvent => Of(process).OfType<T>().Last();
}
