namespace Tandem.Scheduler.Working;

/// <summary>A cluster ticket (for multi-site setups): granted or not, and in standby or not.</summary>
internal sealed class Ticket(string id)
{
    public string Id { get; } = id;
    public bool Granted { get; set; }
    public long LastGranted { get; set; } = -1;
    public bool Standby { get; set; }
}
