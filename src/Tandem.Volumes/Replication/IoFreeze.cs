namespace Tandem.Volumes.Replication;

/// <summary>
/// Holds new writes while the volume changes how it replicates (handshake, demotion, fencing the peer):
/// <see cref="Freeze"/> waits for writes in flight to finish and stops new ones until <see cref="Thaw"/>.
/// </summary>
public sealed class IoFreeze
{
    private readonly object _gate = new();
    private int _inFlight;
    private int _frozen;

    public bool IsFrozen => Volatile.Read(ref _frozen) > 0;

    public void Enter()
    {
        lock (_gate)
        {
            while (_frozen > 0)
            {
                Monitor.Wait(_gate);
            }
            _inFlight++;
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Stops new writes and waits (up to <paramref name="timeoutMs"/>) for those in flight; false on timeout.</summary>
    public bool Freeze(int timeoutMs)
    {
        lock (_gate)
        {
            _frozen++;
            var deadline = Environment.TickCount64 + timeoutMs;
            while (_inFlight > 0)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, (int)left))
                {
                    if (_inFlight == 0)
                    {
                        return true;
                    }
                    // Not frozen after all: let writes go on, the caller gives up.
                    _frozen--;
                    Monitor.PulseAll(_gate);
                    return false;
                }
            }
            return true;
        }
    }

    public void Thaw()
    {
        lock (_gate)
        {
            _frozen--;
            Monitor.PulseAll(_gate);
        }
    }
}
