namespace Tandem.Mail;

/// <summary>
/// A stretch of time in which the client could not get mail accepted: from the start of the first
/// attempt that was not accepted to the end of the next accepted one (open if none came).
/// </summary>
public sealed record OutageWindow(double StartSeconds, double? EndSeconds, int FailedAttempts, string FirstError)
{
    public double? DurationSeconds => EndSeconds - StartSeconds;
}
