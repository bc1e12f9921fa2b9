using System.Text.Json;
using Tandem.Deployment.Cluster;
using Tandem.Integration.Tests.Infrastructure;

namespace Tandem.Integration.Tests;

/// <summary>
/// From bare machines to a cluster, as on real servers: `tandem doctor`, `tandem cluster setup` on the first
/// node, `tandem cluster join` on the other, `tandem cluster destroy`. Inside the lab's nodes there is no
/// systemd, so setup and join start corosync and the daemon as detached processes.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class DeploymentTests
{
    private static readonly TimeSpan ServiceTimeout = TimeSpan.FromSeconds(150);
    private static readonly string[] Plan = ["--node", "astapor=10.77.0.11", "--node", "braavos=10.77.0.12"];

    /// <summary>What a node keeps of the cluster: the directories setup writes in, with each file's checksum.</summary>
    private const string ListState = "find /etc/corosync /etc/tandem /var/lib/corosync /var/lib/tandem -exec sh -c 'if [ -f \"$1\" ]; then echo \"$1 $(md5sum < \"$1\")\"; else echo \"$1/\"; fi' _ {} \\; | sort";

    /// <summary>`tandem doctor --json` in a node, after <paramref name="arguments"/> (doctor's options).</summary>
    private static async Task<JsonElement> DoctorAsync(TestLab lab, string node, int expectedExit, IReadOnlyList<string>? environment = null, params string[] arguments)
    {
        var result = await lab.ExecAsync(TimeSpan.FromSeconds(60), node, ["env", .. environment ?? [], TandemCli.Path, "doctor", "--json", .. arguments]);
        Assert.True(result.ExitCode == expectedExit, $"doctor on {node} exited {result.ExitCode}, expected {expectedExit}: {result.StandardOutput}{result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static JsonElement Check(JsonElement report, string id) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static string Verdict(JsonElement report, string id) => Check(report, id).GetProperty("verdict").GetString()!;

    [Fact]
    public async Task Doctor_passes_on_good_nodes_and_names_a_broken_hosts_entry_and_a_skewed_clock()
    {
        await using var lab = await TestLab.UpAsync(bare: true);
        foreach (var (node, peer) in new[] { ("astapor", "braavos"), ("braavos", "astapor") })
        {
            var good = await DoctorAsync(lab, node, 0, arguments: ["--peers", peer]);
            Assert.True(good.GetProperty("passed").GetBoolean());
            Assert.Equal("ok", Verdict(good, "names.self"));
            Assert.Equal("ok", Verdict(good, $"names.peer.{peer}"));
            Assert.Equal("ok", Verdict(good, $"clock.peer.{peer}"));
            Assert.Equal("ok", Verdict(good, "port.udp.5405"));
        }

        // braavos's hosts file sends astapor's name elsewhere than the plan says.
        var broken = await lab.ExecAsync("braavos", "sh", "-c", "printf '127.0.0.1 localhost\\n10.77.0.99 astapor\\n10.77.0.12 braavos\\n' > /etc/hosts");
        Assert.True(broken.Succeeded, broken.StandardError);
        var report = await DoctorAsync(lab, "braavos", 1, arguments: Plan);
        Assert.Equal("failed", Verdict(report, "names.peer.astapor"));
        Assert.Contains("10.77.0.99", Check(report, "names.peer.astapor").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", Verdict(report, "names.self"));

        // The Debian installer's line: braavos's own name on a loopback address.
        await lab.ExecAsync("braavos", "sh", "-c", "printf '127.0.0.1 localhost\\n127.0.1.1 braavos\\n10.77.0.11 astapor\\n' > /etc/hosts");
        var loopback = await DoctorAsync(lab, "braavos", 1, arguments: ["--peers", "astapor"]);
        Assert.Equal("failed", Verdict(loopback, "names.self"));
        Assert.Contains("127.0.1.1", Check(loopback, "names.self").GetProperty("fix").GetString(), StringComparison.Ordinal);

        // Namespaces share the kernel's clock: the skew exists only in astapor's doctor (test hook).
        var skewed = await DoctorAsync(lab, "astapor", 1, ["TANDEM_TEST_CLOCK_OFFSET_MS=5000"], "--peers", "braavos");
        Assert.Equal("failed", Verdict(skewed, "clock.peer.braavos"));
        Assert.Contains("5.0 s behind", Check(skewed, "clock.peer.braavos").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_and_join_form_the_cluster_tokens_are_one_time_and_destroy_restores_the_nodes()
    {
        await using var lab = await TestLab.UpAsync(bare: true);
        // Volume data that must outlive the cluster: a definition and its backing file on astapor.
        var data = await lab.ExecAsync("astapor", "sh", "-c", """
            mkdir -p /etc/tandem/volumes /var/lib/tandem/volumes
            head -c 1048576 /dev/urandom > /var/lib/tandem/volumes/optzimbra.img
            printf '{"name":"optzimbra","size":"1M","secret":"0123456789abcdef0123","replicas":[{"node":"astapor","address":"10.77.0.11:7788","disk":"/var/lib/tandem/volumes/optzimbra.img","meta-disk":"internal"},{"node":"braavos","address":"10.77.0.12:7788","disk":"/var/lib/tandem/volumes/optzimbra.img","meta-disk":"internal"}]}' > /etc/tandem/volumes/optzimbra.json
            """);
        Assert.True(data.Succeeded, data.StandardError);
        var before = new Dictionary<string, string>();
        foreach (var node in lab.Nodes)
        {
            before[node] = (await lab.ExecAsync(node, "sh", "-c", ListState)).StandardOutput;
        }

        var setup = await lab.ExecAsync(ServiceTimeout, "astapor", [TandemCli.Path, "cluster", "setup", "lab", .. Plan, "--json"]);
        Assert.True(setup.Succeeded, $"setup: {setup.StandardError}{setup.StandardOutput}");
        var setupReport = JsonDocument.Parse(setup.StandardOutput).RootElement;
        Assert.Equal("twoNode", setupReport.GetProperty("quorum").GetString(), ignoreCase: true);
        var token = setupReport.GetProperty("tokens").EnumerateArray().Single().GetProperty("token").GetString()!;

        var wrong = JoinToken.Parse(token) with { Secret = new byte[32] };
        var refused = await lab.ExecAsync(ServiceTimeout, "braavos", TandemCli.Path, "cluster", "join", "astapor", "--token", wrong.Format());
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("wrong token", refused.StandardError, StringComparison.Ordinal);
        Assert.Single(refused.StandardError.Trim().Split('\n'));

        var join = await lab.ExecAsync(ServiceTimeout, "braavos", TandemCli.Path, "cluster", "join", "astapor", "--token", token);
        Assert.True(join.Succeeded, $"join: {join.StandardError}{join.StandardOutput}");
        foreach (var node in lab.Nodes)
        {
            var status = await lab.WaitForStatusAsync(node, s => s.Sees("astapor", "braavos") && s.Quorum.Quorate && s.Coordinator is not null, "the cluster forming");
            Assert.Equal("lab", status.ClusterName);
        }
        var shown = await lab.ExecAsync("braavos", TandemCli.Path, "status");
        Assert.Contains("Cluster:     lab", shown.StandardOutput, StringComparison.Ordinal);

        var destroyBraavos = await lab.ExecAsync(ServiceTimeout, "braavos", TandemCli.Path, "cluster", "destroy", "--yes");
        Assert.True(destroyBraavos.Succeeded, destroyBraavos.StandardError);
        Assert.Equal(before["braavos"], (await lab.ExecAsync("braavos", "sh", "-c", ListState)).StandardOutput);
        var reused = await lab.ExecAsync(ServiceTimeout, "braavos", TandemCli.Path, "cluster", "join", "astapor", "--token", token);
        Assert.NotEqual(0, reused.ExitCode);
        Assert.Contains("already used", reused.StandardError, StringComparison.Ordinal);

        var destroyAstapor = await lab.ExecAsync(ServiceTimeout, "astapor", TandemCli.Path, "cluster", "destroy", "--yes");
        Assert.True(destroyAstapor.Succeeded, destroyAstapor.StandardError);
        Assert.Equal(before["astapor"], (await lab.ExecAsync("astapor", "sh", "-c", ListState)).StandardOutput);
        foreach (var node in lab.Nodes)
        {
            var processes = await lab.ExecAsync(node, "ps", "-e", "-o", "comm=");
            Assert.DoesNotContain("corosync", processes.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("tandem", processes.StandardOutput, StringComparison.Ordinal);
        }
    }
}
