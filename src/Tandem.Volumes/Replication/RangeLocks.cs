namespace Tandem.Volumes.Replication;

/// <summary>
/// Serializes overlapping writes (and resync reads) so both replicas apply them in the same order: a
/// range waits while an overlapping one is held. Fixed capacity, no allocation.
/// </summary>
public sealed class RangeLocks(int capacity)
{
    private readonly long[] _start = new long[capacity];
    private readonly long[] _end = new long[capacity];
    private readonly bool[] _used = new bool[capacity];
    private readonly object _gate = new();

    /// <summary>Waits until no held range overlaps [offset, offset + length), then holds it; returns a handle.</summary>
    public int Acquire(long offset, long length)
    {
        var end = offset + length;
        lock (_gate)
        {
            while (true)
            {
                var free = -1;
                var overlap = false;
                for (var i = 0; i < _used.Length; i++)
                {
                    if (!_used[i])
                    {
                        free = free < 0 ? i : free;
                    }
                    else if (_start[i] < end && offset < _end[i])
                    {
                        overlap = true;
                        break;
                    }
                }
                if (!overlap && free >= 0)
                {
                    (_start[free], _end[free], _used[free]) = (offset, end, true);
                    return free;
                }
                Monitor.Wait(_gate);
            }
        }
    }

    public void Release(int handle)
    {
        lock (_gate)
        {
            _used[handle] = false;
            Monitor.PulseAll(_gate);
        }
    }
}
