using System.Text;

namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// The seed study's cluster: two nodes and a quorum device; a replicated volume as a promotable clone
/// (promoted-max 1); a floating IP and the service in a group that runs where the volume is Primary,
/// after its promotion; stickiness 100, migration-threshold 1, no-quorum-policy stop; fencing off, by a
/// power device, or by the watchdog (no power fencing: a node without quorum stops its resources within
/// half of stonith-watchdog-timeout or fences itself, and the quorate side waits the whole timeout).
/// The operator's changes (standby, the group's target-role) are part of the state, so the simulation
/// can change them.
/// </summary>
public sealed class SeedScenario(FencingMode fencing)
{
    public static readonly string[] NodeNames = ["astapor", "braavos"];

    /// <summary>Primitives that must never be active on two nodes.</summary>
    public static readonly string[] Primitives = ["vip", "service"];

    /// <summary>The promotable volume's primitive and its promoted-max.</summary>
    public const string Volume = "vol";

    public const int PromotedMax = 1;

    public FencingMode Fencing { get; } = fencing;

    public HashSet<string> Standby { get; } = [];

    public bool AppStopped { get; set; }

    public string Text()
    {
        var text = new StringBuilder();
        for (var i = 0; i < NodeNames.Length; i++)
        {
            var name = NodeNames[i];
            text.AppendLine(Standby.Contains(name) ? $"node {i + 1}: {name} attributes standby=on" : $"node {i + 1}: {name}");
        }
        text.AppendLine($"property stonith-enabled={(Fencing == FencingMode.Off ? "false" : "true")}");
        text.AppendLine("property no-quorum-policy=stop");
        text.AppendLine("rsc_defaults resource-stickiness=100 migration-threshold=1");
        if (Fencing == FencingMode.Watchdog)
        {
            text.AppendLine("property stonith-watchdog-timeout=10s");
        }
        if (Fencing == FencingMode.Device)
        {
            text.AppendLine("primitive fence-lab stonith:fence_tandemlab params pcmk_host_list=\"astapor braavos\" op monitor interval=60s");
        }
        text.AppendLine("primitive vol ocf:tandem:volume params volume=data op monitor interval=10s role=Promoted op monitor interval=20s role=Unpromoted");
        text.AppendLine("clone data vol meta promotable=true promoted-max=1 clone-max=2");
        text.AppendLine("primitive vip ocf:heartbeat:IPaddr2 params ip=192.0.2.10 cidr_netmask=24 op monitor interval=10s");
        text.AppendLine("primitive service ocf:heartbeat:Dummy op monitor interval=10s");
        text.AppendLine(AppStopped ? "group app vip service meta target-role=Stopped" : "group app vip service");
        text.AppendLine("colocation app-with-data inf: app data:Promoted");
        text.AppendLine("order data-before-app Mandatory: data:promote app:start");
        return text.ToString();
    }
}

/// <summary>How the simulated cluster fences.</summary>
public enum FencingMode
{
    /// <summary>stonith-enabled=false: safe only while the network holds, so the simulation does not split it.</summary>
    Off,

    /// <summary>A power fence device (the lab's power switch) for both nodes.</summary>
    Device,

    /// <summary>No device: watchdog self-fencing (stonith-watchdog-timeout).</summary>
    Watchdog,
}
