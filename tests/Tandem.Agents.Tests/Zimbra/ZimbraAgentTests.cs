using Tandem.Agents.Execution;
using Tandem.Agents.Metadata;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Zimbra;

/// <summary>
/// ocf:tandem:zimbra (agents/ocf/tandem/zimbra) against a stand-in zmcontrol that starts a "service"
/// process as the Zimbra user, and can fail to start, stop slowly, fail to stop, leave a service that
/// ignores SIGTERM (stuck), or report services down while processes still run (partial). Every action and
/// every exit code of the agent is covered.
/// </summary>
public sealed class ZimbraAgentTests : IClassFixture<ZimbraUserFixture>, IAsyncLifetime, IDisposable
{
    private const string StandIn = """
        #!/bin/sh
        # Stand-in for Zimbra's zmcontrol: one "service" process per start, steered by files in ../.fixture.
        dir=$(dirname "$0")/../.fixture
        echo "$(id -un) $1" >> "$dir/calls"
        alive() { [ -s "$dir/service.pid" ] && kill -0 "$(cat "$dir/service.pid")" 2>/dev/null; }
        case "$1" in
        start)
            if [ -f "$dir/fail-start" ]; then echo "Starting ldap...Failed."; exit 1; fi
            alive && exit 0
            if [ -f "$dir/stuck" ]; then
                nohup sh -c 'trap "" TERM; exec sleep 100000' >/dev/null 2>&1 &
            else
                nohup sleep 100000 >/dev/null 2>&1 &
            fi
            echo $! > "$dir/service.pid"
            echo "Starting mailbox...Done."
            exit 0 ;;
        status)
            if alive && [ ! -f "$dir/partial" ]; then echo "mailbox Running"; exit 0; fi
            echo "mailbox Stopped"; exit 1 ;;
        stop)
            [ -f "$dir/slow-stop" ] && sleep "$(cat "$dir/slow-stop")"
            [ -f "$dir/fail-stop" ] && exit 1
            alive && kill -TERM "$(cat "$dir/service.pid")"
            exit 0 ;;
        *)
            echo "unknown command $1"; exit 1 ;;
        esac
        """;

    private readonly ZimbraUserFixture _user;
    private readonly TempDirectory _temp = new("tandem-zimbra-");
    private readonly string _zimbraDir;
    private Executor _executor = null!;

    public ZimbraAgentTests(ZimbraUserFixture user)
    {
        _user = user;
        var ocf = _temp.Combine("ocf");
        Directory.CreateDirectory(Path.Combine(ocf, "resource.d"));
        Directory.CreateDirectory(Path.Combine(ocf, "lib"));
        File.CreateSymbolicLink(Path.Combine(ocf, "lib", "heartbeat"), "/usr/lib/ocf/lib/heartbeat");
        File.CreateSymbolicLink(Path.Combine(ocf, "resource.d", "tandem"), Path.Combine(RepositoryRoot.Path, "agents", "ocf", "tandem"));
        _zimbraDir = _temp.Combine("opt-zimbra");
        _temp.Script("opt-zimbra/bin/zmcontrol", StandIn);
        foreach (var owned in new[] { "conf", ".fixture" })
        {
            Directory.CreateDirectory(Path.Combine(_zimbraDir, owned));
            HostCommand.Check("chown", $"{_user.User}:{_user.Group}", Path.Combine(_zimbraDir, owned));
        }
        Directory.CreateDirectory(Path.Combine(_zimbraDir, "redolog"));
        File.WriteAllText(Path.Combine(_zimbraDir, "redolog", "redo.log"), "");
    }

    public Task InitializeAsync()
    {
        _executor = TestAgents.Real(TestAgents.Options(_temp.Combine("ocf")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _executor.DisposeAsync();

    public void Dispose()
    {
        _user.KillProcesses();
        _temp.Dispose();
    }

    private Task<OperationResult> Run(string action, long intervalMs = 0, long timeoutMs = 20_000, Dictionary<string, string>? parameters = null) =>
        _executor.RunAsync(new OperationRequest("zimbra", AgentName.Parse("ocf:tandem:zimbra"), action)
        {
            IntervalMs = intervalMs,
            TimeoutMs = timeoutMs,
            Parameters = parameters ?? new Dictionary<string, string>
            {
                ["zimbra_dir"] = _zimbraDir,
                ["zimbra_user"] = _user.User,
                ["zimbra_group"] = _user.Group,
            },
        });

    private void Fixture(string flag, string content = "") => File.WriteAllText(Path.Combine(_zimbraDir, ".fixture", flag), content);

    private string[] Calls() => File.Exists(Path.Combine(_zimbraDir, ".fixture", "calls"))
        ? File.ReadAllLines(Path.Combine(_zimbraDir, ".fixture", "calls"))
        : [];

    private static void AssertCode(OcfExitCode expected, OperationResult result) =>
        Assert.True(result.ExitCode == expected, $"expected {expected}, got {result} stderr: {result.Stderr}");

    [Fact]
    public async Task Meta_data_describes_the_four_parameters_and_the_ocf_actions()
    {
        var result = await Run("meta-data");
        AssertCode(OcfExitCode.Success, result);
        var metadata = MetadataParser.Parse(result.Stdout, "ocf:tandem:zimbra");
        Assert.Equal(["binary", "zimbra_dir", "zimbra_user", "zimbra_group"], metadata.Parameters.Select(p => p.Name));
        Assert.Equal(["zmcontrol", "/opt/zimbra", "zimbra", "zimbra"], metadata.Parameters.Select(p => p.Default));
        Assert.All(metadata.Parameters, p => Assert.False(p.Required));
        Assert.Equal(["start", "stop", "monitor", "validate-all", "meta-data"], metadata.Actions.Select(a => a.Name));
        Assert.Equal(60_000, metadata.FindAction("monitor")!.IntervalMs);
        Assert.Equal(360_000, metadata.FindAction("stop")!.TimeoutMs);
    }

    [Fact]
    public async Task Start_monitor_stop_as_the_zimbra_user_with_redo_log_ownership_fixed()
    {
        AssertCode(OcfExitCode.NotRunning, await Run("monitor"));
        AssertCode(OcfExitCode.Success, await Run("start"));
        Assert.Single(_user.Processes());
        Assert.Contains($"{_user.User} start", Calls());
        var owner = HostCommand.Check("stat", "-c", "%U:%G", Path.Combine(_zimbraDir, "redolog", "redo.log")).Trim();
        Assert.Equal($"{_user.User}:{_user.Group}", owner);

        AssertCode(OcfExitCode.Success, await Run("monitor", intervalMs: 60_000));
        AssertCode(OcfExitCode.Success, await Run("status"));
        // Starting a running Zimbra succeeds without starting it again.
        AssertCode(OcfExitCode.Success, await Run("start"));
        Assert.Single(Calls(), c => c.EndsWith(" start", StringComparison.Ordinal));

        AssertCode(OcfExitCode.Success, await Run("stop"));
        Assert.Empty(_user.Processes());
        AssertCode(OcfExitCode.NotRunning, await Run("monitor", intervalMs: 60_000));
        AssertCode(OcfExitCode.Success, await Run("stop"));
        Assert.All(Calls(), c => Assert.StartsWith(_user.User + " ", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_stop_is_waited_for()
    {
        AssertCode(OcfExitCode.Success, await Run("start"));
        Fixture("slow-stop", "3");
        AssertCode(OcfExitCode.Success, await Run("stop", timeoutMs: 30_000));
        Assert.Empty(_user.Processes());
    }

    [Fact]
    public async Task A_stuck_process_that_ignores_sigterm_is_killed()
    {
        Fixture("stuck");
        AssertCode(OcfExitCode.Success, await Run("start"));
        var stop = await Run("stop", timeoutMs: 12_000);
        AssertCode(OcfExitCode.Success, stop);
        Assert.Empty(_user.Processes());
        Assert.Contains("SIGKILL", stop.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_zmcontrol_stop_escalates_instead_of_failing_the_stop()
    {
        AssertCode(OcfExitCode.Success, await Run("start"));
        Fixture("fail-stop");
        AssertCode(OcfExitCode.Success, await Run("stop", timeoutMs: 12_000));
        Assert.Empty(_user.Processes());
    }

    [Fact]
    public async Task A_failing_start_is_a_generic_error_with_zmcontrols_last_line()
    {
        Fixture("fail-start");
        var start = await Run("start");
        AssertCode(OcfExitCode.ErrGeneric, start);
        Assert.Equal("zmcontrol start failed (exit 1): Starting ldap...Failed.", start.ExitReason);
    }

    [Fact]
    public async Task Services_down_with_processes_left_is_a_failure_not_a_stop()
    {
        AssertCode(OcfExitCode.Success, await Run("start"));
        Fixture("partial");
        var monitor = await Run("monitor", intervalMs: 60_000);
        AssertCode(OcfExitCode.ErrGeneric, monitor);
        Assert.Contains("still run", monitor.ExitReason, StringComparison.Ordinal);
        AssertCode(OcfExitCode.Success, await Run("stop", timeoutMs: 12_000));
        AssertCode(OcfExitCode.NotRunning, await Run("monitor"));
    }

    [Fact]
    public async Task Validate_all_checks_directory_binary_user_group_and_conf_permissions()
    {
        AssertCode(OcfExitCode.Success, await Run("validate-all"));

        var wrongUser = await Run("validate-all", parameters: new() { ["zimbra_dir"] = _zimbraDir, ["zimbra_user"] = "tdm-no-such-user", ["zimbra_group"] = _user.Group });
        AssertCode(OcfExitCode.ErrInstalled, wrongUser);
        Assert.Equal("user 'tdm-no-such-user' does not exist on this node", wrongUser.ExitReason);
        AssertCode(OcfExitCode.ErrInstalled, await Run("validate-all", parameters: new() { ["zimbra_dir"] = _zimbraDir, ["zimbra_user"] = _user.User, ["zimbra_group"] = "tdm-no-such-group" }));
        AssertCode(OcfExitCode.ErrInstalled, await Run("validate-all", parameters: new() { ["zimbra_dir"] = _temp.Combine("absent"), ["zimbra_user"] = _user.User, ["zimbra_group"] = _user.Group }));
        AssertCode(OcfExitCode.ErrConfigured, await Run("validate-all", parameters: new() { ["zimbra_dir"] = "relative/dir", ["zimbra_user"] = _user.User, ["zimbra_group"] = _user.Group }));
        AssertCode(OcfExitCode.ErrConfigured, await Run("validate-all", parameters: new() { ["zimbra_dir"] = _zimbraDir, ["zimbra_user"] = _user.User, ["zimbra_group"] = _user.Group, ["binary"] = "/bin/zmcontrol" }));
        AssertCode(OcfExitCode.ErrInstalled, await Run("validate-all", parameters: new() { ["zimbra_dir"] = _zimbraDir, ["zimbra_user"] = _user.User, ["zimbra_group"] = _user.Group, ["binary"] = "zmnothere" }));

        File.SetUnixFileMode(Path.Combine(_zimbraDir, "bin", "zmcontrol"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AssertCode(OcfExitCode.ErrInstalled, await Run("validate-all"));
        File.SetUnixFileMode(Path.Combine(_zimbraDir, "bin", "zmcontrol"), (UnixFileMode)0b111_101_101);

        HostCommand.Check("chown", "root:root", Path.Combine(_zimbraDir, "conf"));
        var perm = await Run("validate-all");
        AssertCode(OcfExitCode.ErrPerm, perm);
        Assert.Contains("is not writable by user", perm.ExitReason, StringComparison.Ordinal);
        // The original exited 4 from stop here (a failed stop fences the node); stop must succeed.
        AssertCode(OcfExitCode.Success, await Run("stop"));
        AssertCode(OcfExitCode.ErrPerm, await Run("start"));
    }

    [Fact]
    public async Task Without_the_installation_a_probe_finds_it_stopped_and_a_recurring_monitor_reports_it()
    {
        var absent = new Dictionary<string, string> { ["zimbra_dir"] = _temp.Combine("unmounted"), ["zimbra_user"] = _user.User, ["zimbra_group"] = _user.Group };
        AssertCode(OcfExitCode.NotRunning, await Run("monitor", parameters: absent));
        AssertCode(OcfExitCode.ErrInstalled, await Run("monitor", intervalMs: 60_000, parameters: absent));
        AssertCode(OcfExitCode.ErrInstalled, await Run("start", parameters: absent));
        AssertCode(OcfExitCode.Success, await Run("stop", parameters: absent));
    }

    [Fact]
    public async Task A_broken_installation_with_processes_running_is_a_failure()
    {
        AssertCode(OcfExitCode.Success, await Run("start"));
        HostCommand.Check("chown", "root:root", Path.Combine(_zimbraDir, "conf"));
        AssertCode(OcfExitCode.ErrGeneric, await Run("monitor"));
        AssertCode(OcfExitCode.Success, await Run("stop", timeoutMs: 12_000));
        Assert.Empty(_user.Processes());
    }

    [Fact]
    public async Task Unknown_actions_and_wrong_arguments()
    {
        AssertCode(OcfExitCode.ErrUnimplemented, await Run("reload"));
        AssertCode(OcfExitCode.ErrUnimplemented, await Run("restart"));
        AssertCode(OcfExitCode.Success, await Run("usage"));
        var (code, _) = HostCommand.Run("sh", "-c", $"OCF_ROOT={_temp.Combine("ocf")} {_temp.Combine("ocf", "resource.d", "tandem", "zimbra")} start extra");
        Assert.Equal(2, code);
    }
}
