using System.Xml.Linq;
using Tandem.Lab;

namespace Tandem.Bench.Failover;

/// <summary>
/// Pacemaker 2.1.5 (Debian) on each node, started as its service unit would (pacemakerd in the foreground
/// after corosync), with private /var/lib/pacemaker, /var/log/pacemaker and /run/crm per node. The seed
/// configuration goes in with crm_attribute and cibadmin; commands are Pacemaker's own CLI tools.
/// </summary>
public sealed class PacemakerStack(FailoverLab lab) : IClusterStack
{
    private const string Group = """
        <group id="zcsgroup">
          <primitive id="VIP1" class="ocf" provider="heartbeat" type="IPaddr2">
            <instance_attributes id="VIP1-instance_attributes">
              <nvpair id="VIP1-ip" name="ip" value="{VIP}"/>
              <nvpair id="VIP1-cidr_netmask" name="cidr_netmask" value="{PREFIX}"/>
              <nvpair id="VIP1-nic" name="nic" value="eth0"/>
            </instance_attributes>
            <operations>
              <op id="VIP1-monitor-5s" name="monitor" interval="5s" timeout="20s"/>
            </operations>
          </primitive>
          <primitive id="zcs_service" class="ocf" provider="heartbeat" type="Dummy">
            <operations>
              <op id="zcs_service-monitor-10s" name="monitor" interval="10s" timeout="20s"/>
            </operations>
          </primitive>
        </group>
        """;

    private const string RscDefaults = """
        <rsc_defaults>
          <meta_attributes id="rsc-options">
            <nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="100"/>
            <nvpair id="rsc-options-migration-threshold" name="migration-threshold" value="1"/>
          </meta_attributes>
        </rsc_defaults>
        """;

    // Bound over the host's directories inside the node's own mount namespace (the lab's holder made it private).
    private const string PrepareScript = """
        set -e
        d="$1"
        mkdir -p "$d/pcmk-lib/cib" "$d/pcmk-lib/pengine" "$d/pcmk-lib/blackbox" "$d/pcmk-lib/cores" "$d/pcmk-log"
        chown -R hacluster:haclient "$d/pcmk-lib" "$d/pcmk-log"
        chmod 750 "$d/pcmk-lib/cib" "$d/pcmk-lib/pengine" "$d/pcmk-lib/blackbox" "$d/pcmk-lib/cores"
        mountpoint -q /var/lib/pacemaker || mount --bind "$d/pcmk-lib" /var/lib/pacemaker
        mountpoint -q /var/log/pacemaker || mount --bind "$d/pcmk-log" /var/log/pacemaker
        mkdir -p /run/crm /run/pacemaker
        chown hacluster:haclient /run/crm /run/pacemaker
        """;

    public string Name => "Pacemaker 2.1.5";

    public Task PrepareAsync(string node) => lab.CheckAsync(node, "sh", "-c", PrepareScript, "sh", lab.Layout.MachineDir(node));

    public Task StartAsync(string node) =>
        lab.StartServiceAsync(node, "/var/log/pacemaker/pacemakerd.out", "env", "PCMK_logfile=/var/log/pacemaker/pacemaker.log", "pacemakerd");

    public async Task ConfigureAsync(string node)
    {
        await FailoverLab.WaitAsync(async () => (await lab.RunAsync(node, "cibadmin", "-Q", "-o", "nodes").ConfigureAwait(false)).Succeeded,
            TimeSpan.FromSeconds(60), $"the CIB answering on {node}").ConfigureAwait(false);
        await lab.CheckAsync(node, "crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "false").ConfigureAwait(false);
        await lab.CheckAsync(node, "crm_attribute", "-t", "crm_config", "-n", "no-quorum-policy", "-v", "ignore").ConfigureAwait(false);
        await lab.CheckAsync(node, "cibadmin", "-C", "-o", "configuration", "-X", RscDefaults).ConfigureAwait(false);
        var group = Group.Replace("{VIP}", SeedScenario.Vip, StringComparison.Ordinal)
            .Replace("{PREFIX}", LabLayout.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await lab.CheckAsync(node, "cibadmin", "-C", "-o", "resources", "-X", group).ConfigureAwait(false);
    }

    public async Task<string?> SettledAsync(string observer, IReadOnlyList<string> online)
    {
        var result = await lab.RunAsync(observer, "crm_mon", "-1", "--output-as=xml").ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }
        var mon = XDocument.Parse(result.StandardOutput).Root!;
        if (mon.Element("summary")?.Element("current_dc")?.Attribute("present")?.Value != "true")
        {
            return null;
        }
        var nodesOnline = (mon.Element("nodes")?.Elements("node") ?? [])
            .Where(n => n.Attribute("online")?.Value == "true" && n.Attribute("standby")?.Value != "true" && n.Attribute("pending")?.Value != "true")
            .Select(n => n.Attribute("name")!.Value).Order(StringComparer.Ordinal);
        if (!nodesOnline.SequenceEqual(online.Order(StringComparer.Ordinal)) || mon.Element("failures")?.HasElements == true)
        {
            return null;
        }
        var where = mon.Descendants("resource")
            .Where(r => r.Attribute("id")?.Value is "VIP1" or "zcs_service" && r.Attribute("role")?.Value == "Started")
            .Select(r => r.Element("node")?.Attribute("name")?.Value)
            .ToList();
        if (where.Count != 2 || where[0] is null || where[0] != where[1])
        {
            return null;
        }
        // Nothing left to do: crm_resource --wait returns once the scheduler has no pending action.
        var idle = await lab.RunAsync(observer, "crm_resource", "--wait", "--timeout", "1s").ConfigureAwait(false);
        return idle.Succeeded ? where[0] : null;
    }

    public Task StandbyAsync(string node, bool on) => lab.CheckAsync(node, "crm_standby", "-N", node, "-v", on ? "on" : "off");

    public Task CleanupAsync(string node) => lab.CheckAsync(node, "crm_resource", "--cleanup", "-r", "zcs_service");

    public StackLog Log(string node) => new(Path.Combine(lab.Layout.MachineDir(node), "pcmk-log", "pacemaker.log"), StackLog.PacemakerStamp);
}
