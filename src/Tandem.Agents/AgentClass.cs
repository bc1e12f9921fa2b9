namespace Tandem.Agents;

/// <summary>The standards an agent can follow, as Pacemaker names them in <c>class:provider:type</c>.</summary>
public enum AgentClass
{
    /// <summary>OCF resource agent: /usr/lib/ocf/resource.d/PROVIDER/TYPE, action as the only argument.</summary>
    Ocf,

    /// <summary>LSB init script: /etc/init.d/NAME, <c>status</c> answers the monitor.</summary>
    Lsb,

    /// <summary>A systemd unit, driven through systemctl.</summary>
    Systemd,

    /// <summary>A fence agent: /usr/sbin/fence_*, parameters as key=value lines on stdin.</summary>
    Stonith,
}
