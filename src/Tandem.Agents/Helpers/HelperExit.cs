namespace Tandem.Agents.Helpers;

/// <summary>The exit codes of Pacemaker's tools (crm_exit_t) that the helpers use.</summary>
public static class HelperExit
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Unimplemented = 3;
    public const int Usage = 64;
    public const int NoHost = 68;
    public const int Disconnect = 102;
    public const int NoSuch = 105;
    public const int NoQuorum = 106;
}
