namespace Tandem.Volumes.Replication;

/// <summary>
/// The hot 4 MiB extents a Primary may be writing to, recorded on disk before a write enters a new
/// extent. After a Primary crash these extents (and only these) may differ between the replicas, so they
/// are resynced. An extent leaves the log only when no write into it is in flight and every write into it
/// is known durable on both replicas (a barrier with a later epoch completed).
/// </summary>
public sealed class ActivityLog
{
    /// <summary>Writes the log (the active extents) durably.</summary>
    public delegate void PersistLog(ReadOnlySpan<int> extents);

    public const int ExtentShift = 22;

    private readonly int[] _extent;
    private readonly int[] _inFlight;
    private readonly long[] _lastEpoch;
    private readonly long[] _lastUse;
    private readonly Dictionary<int, int> _slotOf;
    private readonly int[] _snapshot;
    private readonly PersistLog _persist;
    private readonly Func<long> _barrier;
    private readonly object _gate = new();
    private long _durableEpoch = -1;
    private long _clock;
    private long _transactions;

    /// <param name="capacity">How many extents may be hot at once (al-extents).</param>
    /// <param name="persist">Writes the log durably.</param>
    /// <param name="barrier">Makes every completed write durable on both replicas; returns the epoch it covers.</param>
    public ActivityLog(int capacity, PersistLog persist, Func<long> barrier)
    {
        _snapshot = new int[capacity];
        _extent = new int[capacity];
        Array.Fill(_extent, -1);
        _inFlight = new int[capacity];
        _lastEpoch = new long[capacity];
        _lastUse = new long[capacity];
        _slotOf = new Dictionary<int, int>(capacity);
        _persist = persist;
        _barrier = barrier;
    }

    public long Transactions => Interlocked.Read(ref _transactions);

    public int[] Active()
    {
        lock (_gate)
        {
            return [.. _extent.Where(e => e >= 0)];
        }
    }

    /// <summary>Enters the extents of a write (at most two for 1 MiB); returns the first and last extent.</summary>
    public (int First, int Last) Begin(long offset, int length)
    {
        var first = (int)(offset >> ExtentShift);
        var last = (int)((offset + Math.Max(length, 1) - 1) >> ExtentShift);
        for (var e = first; e <= last; e++)
        {
            Enter(e);
        }
        return (first, last);
    }

    /// <summary>A write finished; <paramref name="epoch"/> is the barrier epoch current at its completion.</summary>
    public void End(int first, int last, long epoch)
    {
        lock (_gate)
        {
            for (var e = first; e <= last; e++)
            {
                var s = _slotOf[e];
                _inFlight[s]--;
                _lastEpoch[s] = Math.Max(_lastEpoch[s], epoch);
            }
        }
    }

    /// <summary>Every write that completed in <paramref name="epoch"/> or before is durable on both replicas.</summary>
    public void Durable(long epoch)
    {
        lock (_gate)
        {
            _durableEpoch = Math.Max(_durableEpoch, epoch);
        }
    }

    /// <summary>Clean demotion: nothing is hot any more.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Array.Fill(_extent, -1);
            _slotOf.Clear();
            _persist(ReadOnlySpan<int>.Empty);
        }
    }

    private void Enter(int e)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_slotOf.TryGetValue(e, out var s))
                {
                    _inFlight[s]++;
                    _lastUse[s] = ++_clock;
                    return;
                }
                var victim = -1;
                for (var i = 0; i < _extent.Length; i++)
                {
                    if (_extent[i] < 0)
                    {
                        victim = i;
                        break;
                    }
                    if (_inFlight[i] == 0 && _lastEpoch[i] <= _durableEpoch && (victim < 0 || _lastUse[i] < _lastUse[victim]))
                    {
                        victim = i;
                    }
                }
                if (victim >= 0)
                {
                    if (_extent[victim] >= 0)
                    {
                        _slotOf.Remove(_extent[victim]);
                    }
                    _extent[victim] = e;
                    _slotOf[e] = victim;
                    _inFlight[victim] = 1;
                    _lastEpoch[victim] = 0;
                    _lastUse[victim] = ++_clock;
                    // The log must name the extent on disk before any write into it starts.
                    var n = 0;
                    foreach (var x in _extent)
                    {
                        if (x >= 0)
                        {
                            _snapshot[n++] = x;
                        }
                    }
                    _persist(_snapshot.AsSpan(0, n));
                    _transactions++;
                    return;
                }
            }
            // Every hot extent has writes not yet known durable: make them durable, then retry.
            Durable(_barrier());
        }
    }
}
