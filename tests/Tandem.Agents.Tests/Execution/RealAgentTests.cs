using Tandem.Agents.Execution;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Execution;

/// <summary>Debian's own ocf:heartbeat:Dummy and small test agents, run as real processes.</summary>
public sealed class RealAgentTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _ocfRoot;

    public RealAgentTests() => _ocfRoot = TestAgents.TestOcfRoot(_temp);

    public void Dispose() => _temp.Dispose();

    private OperationRequest Dummy(string action, long intervalMs = 0) =>
        new("dummy1", AgentName.Parse("ocf:heartbeat:Dummy"), action)
        {
            IntervalMs = intervalMs,
            Parameters = new Dictionary<string, string> { ["state"] = _temp.Combine("dummy1.state") },
        };

    [Fact]
    public async Task Debian_Dummy_start_monitor_probe_stop()
    {
        await using var executor = TestAgents.Real(TestAgents.Options());
        var probe = await executor.RunAsync(Dummy("monitor"));
        Assert.Equal(OperationStatus.NotRunning, probe.Status);
        // Dummy sets an exit reason only for a real (recurring) monitor, not for a probe.
        Assert.Null(probe.ExitReason);

        var start = await executor.RunAsync(Dummy("start"));
        Assert.Equal(OperationStatus.Success, start.Status);
        Assert.True(File.Exists(_temp.Combine("dummy1.state")));

        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Dummy("monitor", 10_000))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Dummy("monitor"))).Status);

        var stop = await executor.RunAsync(Dummy("stop"));
        Assert.Equal(OperationStatus.Success, stop.Status);
        Assert.False(File.Exists(_temp.Combine("dummy1.state")));
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Dummy("stop"))).Status);

        var monitor = await executor.RunAsync(Dummy("monitor", 10_000));
        Assert.Equal(OperationStatus.NotRunning, monitor.Status);
        Assert.Equal("No process state file found", monitor.ExitReason);
    }

    [Fact]
    public async Task Debian_Dummy_meta_data_and_unknown_action()
    {
        await using var executor = TestAgents.Real(TestAgents.Options());
        var metadata = await executor.RunAsync(Dummy("meta-data"));
        Assert.Equal(OperationStatus.Success, metadata.Status);
        Assert.Contains("<resource-agent name=\"Dummy\"", metadata.Stdout, StringComparison.Ordinal);
        var unknown = await executor.RunAsync(Dummy("frobnicate"));
        Assert.Equal(OcfExitCode.ErrUnimplemented, unknown.ExitCode);
        Assert.Equal(ErrorClass.Hard, unknown.ErrorClass);
    }

    [Fact]
    public async Task The_agent_sees_the_ocf_environment()
    {
        _temp.Script("ocf/resource.d/test/envdump", """
            #!/bin/sh
            env | sort > "$OCF_RESKEY_out"
            exit 0
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot, helperDirectory: "/nonexistent/helpers"));
        var result = await executor.RunAsync(new OperationRequest("rsc", AgentName.Parse("ocf:test:envdump"), "start")
        {
            Parameters = new Dictionary<string, string> { ["out"] = _temp.Combine("env.txt") },
            Meta = new Dictionary<string, string> { ["clone-max"] = "2" },
            TimeoutMs = 45_000,
        });
        Assert.Equal(OperationStatus.Success, result.Status);
        var env = File.ReadAllLines(_temp.Combine("env.txt"));
        Assert.Contains("OCF_RESOURCE_INSTANCE=rsc", env);
        Assert.Contains("OCF_RESKEY_CRM_meta_timeout=45000", env);
        Assert.Contains("OCF_RESKEY_CRM_meta_clone_max=2", env);
        Assert.Contains("OCF_RESKEY_CRM_meta_on_node=astapor", env);
        Assert.Contains(env, l => l.StartsWith("PATH=/nonexistent/helpers:", StringComparison.Ordinal));
        Assert.Contains($"OCF_ROOT={_ocfRoot}", env);
    }

    [Fact]
    public async Task A_hung_agent_is_killed_at_its_timeout_with_its_whole_process_group()
    {
        // The agent starts a child that ignores SIGTERM, then hangs itself: only SIGKILL to the group ends both.
        _temp.Script("ocf/resource.d/test/hang", $$"""
            #!/bin/sh
            ( trap '' TERM; echo $$ > /dev/null; sh -c 'echo $$ > {{_temp.Combine("child.pid")}}; trap "" TERM; while :; do sleep 1; done' ) &
            echo $$ > {{_temp.Combine("agent.pid")}}
            while :; do sleep 1; done
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var result = await executor.RunAsync(new OperationRequest("hung", AgentName.Parse("ocf:test:hang"), "start") { TimeoutMs = 1500 });
        Assert.Equal(OperationStatus.Timeout, result.Status);
        Assert.Equal(ErrorClass.Soft, result.ErrorClass);
        Assert.Equal("start timed out after 1500ms", result.ExitReason);
        var agentPid = int.Parse(File.ReadAllText(_temp.Combine("agent.pid")), System.Globalization.CultureInfo.InvariantCulture);
        var childPid = int.Parse(File.ReadAllText(_temp.Combine("child.pid")), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.True(() => !IsAlive(childPid) && !IsAlive(agentPid), "the agent and its TERM-proof child to be gone");
    }

    [Fact]
    public async Task A_crashing_agent_is_an_error_with_its_exit_reason()
    {
        _temp.Script("ocf/resource.d/test/crash", """
            #!/bin/sh
            echo "ocf-exit-reason:configuration file /etc/foo.conf is corrupt" >&2
            kill -SEGV $$
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var result = await executor.RunAsync(new OperationRequest("c", AgentName.Parse("ocf:test:crash"), "start"));
        Assert.Equal(OperationStatus.Error, result.Status);
        Assert.Equal(ErrorClass.Soft, result.ErrorClass);
        Assert.Equal(11, result.Signal);
        Assert.Equal("configuration file /etc/foo.conf is corrupt", result.ExitReason);
    }

    [Fact]
    public async Task A_failing_agent_reports_code_and_reason()
    {
        _temp.Script("ocf/resource.d/test/fail", """
            #!/bin/sh
            . ${OCF_ROOT}/lib/heartbeat/ocf-shellfuncs
            ocf_exit_reason "the parameter 'ip' is missing"
            exit $OCF_ERR_CONFIGURED
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var result = await executor.RunAsync(new OperationRequest("f", AgentName.Parse("ocf:test:fail"), "start"));
        Assert.Equal(OcfExitCode.ErrConfigured, result.ExitCode);
        Assert.Equal(ErrorClass.Fatal, result.ErrorClass);
        Assert.Equal("the parameter 'ip' is missing", result.ExitReason);
    }

    [Fact]
    public async Task An_agent_flooding_output_stays_within_the_bound()
    {
        // 64 MiB on stdout and 64 MiB on stderr, with the exit reason at the very end.
        _temp.Script("ocf/resource.d/test/flood", """
            #!/bin/sh
            head -c 67108864 /dev/zero | tr '\0' 'o'
            head -c 67108864 /dev/zero | tr '\0' 'e' >&2
            echo >&2
            echo "ocf-exit-reason:flooded" >&2
            exit 1
            """);
        var options = TestAgents.Options(_ocfRoot) with { OutputLimits = new(4096, 4096) };
        await using var executor = TestAgents.Real(options);
        var result = await executor.RunAsync(new OperationRequest("fl", AgentName.Parse("ocf:test:flood"), "start") { TimeoutMs = 60_000 });
        Assert.Equal(OperationStatus.Error, result.Status);
        Assert.Equal("flooded", result.ExitReason);
        Assert.True(result.Stdout.Length < 8192 + 100, $"stdout kept {result.Stdout.Length} chars");
        Assert.True(result.Stderr.Length < 8192 + 100, $"stderr kept {result.Stderr.Length} chars");
        Assert.Contains("bytes of output dropped", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("ocf-exit-reason:flooded\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_get_default_signal_dispositions()
    {
        // .NET ignores SIGPIPE; an agent inheriting that would spin here forever (yes never dies).
        _temp.Script("ocf/resource.d/test/pipe", """
            #!/bin/sh
            yes | head -n 1 >/dev/null
            trap > "$OCF_RESKEY_out"
            exit 0
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var result = await executor.RunAsync(new OperationRequest("p", AgentName.Parse("ocf:test:pipe"), "start")
        {
            TimeoutMs = 10_000,
            Parameters = new Dictionary<string, string> { ["out"] = _temp.Combine("traps") },
        });
        Assert.Equal(OperationStatus.Success, result.Status);
        Assert.Equal("", File.ReadAllText(_temp.Combine("traps")).Trim());
    }

    [Fact]
    public async Task A_daemon_left_holding_the_output_pipes_does_not_hold_the_operation()
    {
        _temp.Script("ocf/resource.d/test/daemonize", $$"""
            #!/bin/sh
            sleep 30 &
            echo $! > {{_temp.Combine("daemon.pid")}}
            echo started
            exit 0
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var result = await executor.RunAsync(new OperationRequest("d", AgentName.Parse("ocf:test:daemonize"), "start") { TimeoutMs = 10_000 });
        var daemon = int.Parse(File.ReadAllText(_temp.Combine("daemon.pid")), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(OperationStatus.Success, result.Status);
            Assert.Equal("started\n", result.Stdout);
            Assert.True(IsAlive(daemon), "a daemon started by a successful start must keep running");
        }
        finally
        {
            KillPid(daemon);
        }
    }

    [Fact]
    public async Task Missing_and_non_executable_agents()
    {
        File.WriteAllText(_temp.Combine("ocf", "resource.d", "test", "noexec"), "#!/bin/sh\nexit 0\n");
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        var missing = await executor.RunAsync(new OperationRequest("m", AgentName.Parse("ocf:test:absent"), "start"));
        Assert.Equal(OcfExitCode.ErrInstalled, missing.ExitCode);
        Assert.Equal(ErrorClass.Hard, missing.ErrorClass);
        Assert.Contains("absent does not exist", missing.ExitReason, StringComparison.Ordinal);
        var noexec = await executor.RunAsync(new OperationRequest("n", AgentName.Parse("ocf:test:noexec"), "start"));
        Assert.Equal(OcfExitCode.ErrPerm, noexec.ExitCode);
    }

    [Fact]
    public async Task Cancelling_an_operation_kills_its_group()
    {
        _temp.Script("ocf/resource.d/test/slow", $$"""
            #!/bin/sh
            echo $$ > {{_temp.Combine("slow.pid")}}
            sleep 60
            """);
        await using var executor = TestAgents.Real(TestAgents.Options(_ocfRoot));
        using var cancel = new CancellationTokenSource();
        var run = executor.RunAsync(new OperationRequest("s", AgentName.Parse("ocf:test:slow"), "start") { TimeoutMs = 60_000 }, cancel.Token);
        await Eventually.True(() => File.Exists(_temp.Combine("slow.pid")) && File.ReadAllText(_temp.Combine("slow.pid")).Length > 0, "the agent to start");
        await cancel.CancelAsync();
        var result = await run;
        Assert.Equal(OperationStatus.Cancelled, result.Status);
        var pid = int.Parse(File.ReadAllText(_temp.Combine("slow.pid")), System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.True(() => !IsAlive(pid), "the cancelled agent to be gone");
    }

    internal static bool IsAlive(int pid)
    {
        // A zombie waiting for its reaper is dead for our purpose.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static void KillPid(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
        }
    }
}
