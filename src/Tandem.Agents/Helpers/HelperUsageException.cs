namespace Tandem.Agents.Helpers;

/// <summary>A command line a helper command cannot accept (Pacemaker exits 64, CRM_EX_USAGE).</summary>
public sealed class HelperUsageException : Exception
{
    public HelperUsageException() { }

    public HelperUsageException(string message) : base(message) { }

    public HelperUsageException(string message, Exception innerException) : base(message, innerException) { }
}
