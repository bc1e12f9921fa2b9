using Tandem.Model.Cluster;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;

namespace Tandem.Model.Validation;

/// <summary>
/// Settings that are valid but put the service or its data at risk, explained in plain words: the
/// cluster cannot fence, runs without quorum, or would not notice a failure.
/// </summary>
internal static class RiskChecks
{
    private const string PropertiesPath = "crm_config";

    public static void Check(ClusterConfiguration c, List<Diagnostic> findings)
    {
        var options = c.Options;
        var fenceDevices = c.AllResources.OfType<Primitive>().Count(p => c.Expand(p).Agent?.IsStonith ?? false);
        if (!options.StonithEnabled)
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Warning, PropertiesPath,
                "fencing is disabled (stonith-enabled=false): nothing will stop a lost node from still running the service: split brain possible. " +
                "A node that stops answering may still hold the floating IP or write the replicated data while another node takes over. " +
                "Configure a fence device and set stonith-enabled=true.") { Code = "fencing-disabled" });
        }
        else if (fenceDevices == 0 && c.AllResources.Any())
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Error, PropertiesPath,
                "fencing is enabled but no fence device (class stonith) is configured: Pacemaker starts no resource until one is, " +
                "because it could not recover from a node failure safely. Add a fence device.") { Code = "no-fence-device" });
        }
        if (options.NoQuorumPolicy == NoQuorumPolicy.Ignore)
        {
            var message = c.Nodes.Count == 2
                ? "no-quorum-policy=ignore on a two-node cluster: when the link between the two nodes breaks, each node carries on alone, " +
                  "believes the other is dead and starts the service: split brain, with both nodes running it. " +
                  "Use corosync's two_node mode with fencing, or a quorum device, and keep no-quorum-policy=stop."
                : "no-quorum-policy=ignore: a partition that has lost quorum keeps running and starting resources, " +
                  "so the two sides of a split can both run the service. Keep no-quorum-policy=stop (or freeze), with fencing.";
            findings.Add(new Diagnostic(DiagnosticSeverity.Warning, PropertiesPath, message) { Code = "quorum-ignored" });
        }
        if (options.MaintenanceMode)
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Info, PropertiesPath,
                "the cluster is in maintenance mode: it starts, stops and monitors nothing until maintenance-mode=false") { Code = "maintenance-mode" });
        }
        if (options.StopAllResources)
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Info, PropertiesPath,
                "stop-all-resources=true: every resource is kept stopped") { Code = "stop-all-resources" });
        }
        foreach (var primitive in c.AllResources.OfType<Primitive>())
        {
            var expanded = c.Expand(primitive);
            if (expanded.Agent is not null && !expanded.Operations.Any(op => op.Name == "monitor" && op.IsRecurring && op.Enabled != false))
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Info, Paths.Of(primitive),
                    $"'{primitive.Id}' has no recurring monitor: if it fails while running, the cluster will not notice and will not recover it") { Code = "no-monitor" });
            }
        }
    }
}
