namespace Tandem.Node.Status;

/// <summary>
/// A transient node attribute set to a value, removed (null), or incremented (<see cref="Increment"/>,
/// Pacemaker's "value++": applied where delivered, saturating at INFINITY).
/// </summary>
public sealed record AttributeChange(string Name, string? Value)
{
    public const string Increment = "value++";
}
