using System.Globalization;

namespace Tandem.Deployment.Doctor;

/// <summary>
/// A clock that runs ahead (or behind) of the system's by a fixed offset. Nodes of the lab share the
/// kernel's clock, so a skewed node can only be made by telling its doctor that its own clock is off:
/// TANDEM_TEST_CLOCK_OFFSET_MS, a test hook and nothing else.
/// </summary>
public sealed class SkewedTimeProvider(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public const string Variable = "TANDEM_TEST_CLOCK_OFFSET_MS";

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override long GetTimestamp() => inner.GetTimestamp();

    /// <summary>The system clock, skewed when the test hook asks for it.</summary>
    public static TimeProvider FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            ? new SkewedTimeProvider(System, TimeSpan.FromMilliseconds(ms))
            : System;
}
