namespace Tandem.Agents.LocalApi;

/// <summary>How long a node attribute lives, as Pacemaker's <c>-l reboot|forever</c>.</summary>
public enum AttributeLifetime
{
    /// <summary>Transient (Pacemaker's status section): gone when the node leaves the cluster or reboots.
    /// Promotion scores live here.</summary>
    Reboot,

    /// <summary>Permanent (Pacemaker's nodes section): part of the configuration.</summary>
    Forever,
}
