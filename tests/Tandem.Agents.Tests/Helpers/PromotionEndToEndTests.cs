using Tandem.Agents.Execution;
using Tandem.Agents.LocalApi;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Helpers;

/// <summary>
/// Real agents, run by the executor with the helper directory first on their PATH, set promotion scores
/// that arrive at the (fake) daemon's local API over its unix socket: the path a score takes to the
/// scheduler's snapshot.
/// </summary>
public sealed class PromotionEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private FakeDaemon _daemon = null!;
    private Executor _executor = null!;
    private string _ocfRoot = null!;

    public async Task InitializeAsync()
    {
        _daemon = await FakeDaemon.StartAsync(_temp.Path);
        _ocfRoot = TestAgents.TestOcfRoot(_temp);
        File.CreateSymbolicLink(_temp.Combine("ocf", "resource.d", "pacemaker"), "/usr/lib/ocf/resource.d/pacemaker");
        var options = TestAgents.Options(_ocfRoot, HelperBin.Create(_temp), new Dictionary<string, string> { ["TANDEM_SOCKET"] = _daemon.SocketPath });
        _executor = TestAgents.Real(options);
    }

    public async Task DisposeAsync()
    {
        await _executor.DisposeAsync();
        await _daemon.DisposeAsync();
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_promotable_agent_calling_crm_master_sets_the_promotion_score_of_its_node()
    {
        _temp.Script("ocf/resource.d/test/promotable", """
            #!/bin/sh
            . ${OCF_ROOT}/lib/heartbeat/ocf-shellfuncs
            case "$1" in
            start)   crm_master -l reboot -v 100 || exit $OCF_ERR_GENERIC ;;
            promote) ocf_promotion_score -v 200 || exit $OCF_ERR_GENERIC ;;
            stop)    crm_master -l reboot -D || exit $OCF_ERR_GENERIC ;;
            monitor) score=$(crm_master -q -l reboot -G 2>/dev/null) || exit $OCF_NOT_RUNNING
                     [ "$score" = "$OCF_RESKEY_expect" ] || { ocf_exit_reason "score is '$score'"; exit $OCF_ERR_GENERIC; } ;;
            esac
            exit $OCF_SUCCESS
            """);
        OperationRequest Op(string action, string expect = "") => new("db", AgentName.Parse("ocf:test:promotable"), action)
        {
            TimeoutMs = 30_000,
            Parameters = new Dictionary<string, string> { ["expect"] = expect },
        };

        var start = await _executor.RunAsync(Op("start"));
        Assert.True(start.Status == OperationStatus.Success, start.ToString() + start.Stderr);
        Assert.Equal("100", _daemon.Cluster.Attribute("astapor", "master-db", AttributeLifetime.Reboot));
        Assert.Contains("PUT /v1/nodes/astapor/attributes/master-db?lifetime=reboot", _daemon.Requests);
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("monitor", "100"))).Status);

        // ocf_promotion_score goes through ${HA_SBIN_DIR}/crm_attribute -p, as with Pacemaker >= 2.1.
        var promote = await _executor.RunAsync(Op("promote"));
        Assert.True(promote.Status == OperationStatus.Success, promote.ToString() + promote.Stderr);
        Assert.Equal("200", _daemon.Cluster.Attribute("astapor", "master-db", AttributeLifetime.Reboot));

        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("stop"))).Status);
        Assert.Null(_daemon.Cluster.Attribute("astapor", "master-db", AttributeLifetime.Reboot));
        Assert.Equal(OperationStatus.NotRunning, (await _executor.RunAsync(Op("monitor", "100"))).Status);
    }

    [Fact]
    public async Task Pacemakers_own_Stateful_agent_sets_its_scores_through_the_helpers()
    {
        OperationRequest Op(string action) => new("stateful", AgentName.Parse("ocf:pacemaker:Stateful"), action)
        {
            TimeoutMs = 30_000,
            Parameters = new Dictionary<string, string> { ["state"] = _temp.Combine("stateful.state") },
            Meta = new Dictionary<string, string> { ["promotable"] = "true", ["clone-max"] = "2", ["promoted-max"] = "1" },
        };
        var start = await _executor.RunAsync(Op("start"));
        Assert.True(start.Status == OperationStatus.Success, start.ToString() + start.Stderr);
        Assert.Equal("5", _daemon.Cluster.Attribute("astapor", "master-stateful", AttributeLifetime.Reboot));
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("promote"))).Status);
        Assert.Equal("10", _daemon.Cluster.Attribute("astapor", "master-stateful", AttributeLifetime.Reboot));
        Assert.Equal(OperationStatus.Promoted, (await _executor.RunAsync(Op("monitor") with { IntervalMs = 10_000 })).Status);
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("demote"))).Status);
        Assert.Equal(OperationStatus.Success, (await _executor.RunAsync(Op("stop"))).Status);
        Assert.Null(_daemon.Cluster.Attribute("astapor", "master-stateful", AttributeLifetime.Reboot));
    }

    [Fact]
    public async Task Without_a_daemon_a_helper_fails_with_pacemakers_disconnect_code()
    {
        _temp.Script("ocf/resource.d/test/nodaemon", """
            #!/bin/sh
            TANDEM_SOCKET=/nonexistent/tandem.sock crm_attribute -p -v 1
            echo "ocf-exit-reason:crm_attribute exited $?" >&2
            exit 1
            """);
        var result = await _executor.RunAsync(new OperationRequest("x", AgentName.Parse("ocf:test:nodaemon"), "start") { TimeoutMs = 30_000 });
        Assert.Equal("crm_attribute exited 102", result.ExitReason);
        Assert.Contains("Could not connect to the cluster", result.Stderr, StringComparison.Ordinal);
    }
}
