using Tandem.Agents.Execution;
using Tandem.Agents.Metadata;
using Tandem.Agents.Processes;
using Tandem.Agents.Tests.Support;

namespace Tandem.Agents.Tests.Execution;

/// <summary>
/// Debian's real agents doing real work, each inside namespaces of its own (root required, as in CI):
/// IPaddr2 adds and removes an address that a client namespace reaches over a veth pair; Filesystem mounts
/// an ext4 loop device in a private mount namespace; an LSB init script; fence_dummy through stdin.
/// </summary>
public sealed class DebianAgentTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Executor InNode(TestNode node, bool network) =>
        new(TestAgents.Options(), new NamespaceLauncher(new PosixProcessLauncher(), node.HolderPid, network), TimeProvider.System);

    [Fact]
    public async Task IPaddr2_adds_an_address_a_client_reaches_and_removes_it()
    {
        using var node = new TestNode(network: true);
        await using var executor = InNode(node, network: true);
        OperationRequest Op(string action, long intervalMs = 0) => new("vip", AgentName.Parse("ocf:heartbeat:IPaddr2"), action)
        {
            IntervalMs = intervalMs,
            Parameters = new Dictionary<string, string> { ["ip"] = "192.0.2.100", ["cidr_netmask"] = "24", ["nic"] = "eth0" },
        };

        Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("monitor"))).Status);
        Assert.NotEqual(0, node.Client("ping", "-c", "1", "-W", "1", "192.0.2.100").Code);

        var start = await executor.RunAsync(Op("start"));
        Assert.True(start.Status == OperationStatus.Success, start + start.Stderr);
        Assert.Contains("inet 192.0.2.100/24", node.Run("ip", "addr", "show", "dev", "eth0").Output, StringComparison.Ordinal);
        Assert.Equal(0, node.Client("ping", "-c", "2", "-W", "2", "192.0.2.100").Code);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("monitor", 10_000))).Status);

        var stop = await executor.RunAsync(Op("stop"));
        Assert.True(stop.Status == OperationStatus.Success, stop + stop.Stderr);
        Assert.DoesNotContain("192.0.2.100", node.Run("ip", "addr", "show", "dev", "eth0").Output, StringComparison.Ordinal);
        Assert.NotEqual(0, node.Client("ping", "-c", "1", "-W", "1", "192.0.2.100").Code);
        Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("monitor", 10_000))).Status);
    }

    [Fact]
    public async Task Filesystem_mounts_an_ext4_loop_device_only_inside_the_node()
    {
        var image = _temp.Combine("disk.img");
        using (var file = File.Create(image))
        {
            file.SetLength(32 * 1024 * 1024);
        }
        HostCommand.Check("mkfs.ext4", "-q", "-F", image);
        var loop = HostCommand.Check("losetup", "--find", "--show", image).Trim();
        try
        {
            var mountPoint = _temp.Combine("mnt");
            Directory.CreateDirectory(mountPoint);
            using (var node = new TestNode(network: false))
            {
                await using var executor = InNode(node, network: false);
                OperationRequest Op(string action, long intervalMs = 0, int? depth = null) => new("fs", AgentName.Parse("ocf:heartbeat:Filesystem"), action)
                {
                    IntervalMs = intervalMs,
                    CheckLevel = depth,
                    TimeoutMs = 60_000,
                    Parameters = new Dictionary<string, string> { ["device"] = loop, ["directory"] = mountPoint, ["fstype"] = "ext4" },
                };

                var probe = await executor.RunAsync(Op("monitor"));
                Assert.True(probe.Status == OperationStatus.NotRunning, probe + probe.Stderr);
                var start = await executor.RunAsync(Op("start"));
                Assert.True(start.Status == OperationStatus.Success, start + start.Stderr);
                Assert.Equal("ext4", node.Run("findmnt", "-n", "-o", "FSTYPE", mountPoint).Output.Trim());
                // The mount exists in the node's namespace only.
                Assert.NotEqual(0, HostCommand.Run("findmnt", "-n", mountPoint).Code);
                Assert.Equal(0, node.Run("sh", "-c", $"echo mail > {mountPoint}/spool && cat {mountPoint}/spool").Code);
                Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("monitor", 20_000))).Status);
                // Depth 20: the agent writes and reads a test file on the file system.
                Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("monitor", 20_000, depth: 20))).Status);

                var stop = await executor.RunAsync(Op("stop"));
                Assert.True(stop.Status == OperationStatus.Success, stop + stop.Stderr);
                Assert.NotEqual(0, node.Run("findmnt", "-n", mountPoint).Code);
                Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("monitor", 20_000))).Status);
            }
        }
        finally
        {
            HostCommand.Run("losetup", "-d", loop);
        }
        Assert.DoesNotContain(image, HostCommand.Run("losetup", "-a").Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_lsb_init_script_and_its_status_codes()
    {
        var pidFile = _temp.Combine("svc.pid");
        var lsb = _temp.Combine("init.d");
        _temp.Script("init.d/tdm-svc", $$"""
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          tdm-svc
            # Short-Description: Test service for Tandem
            # Description:       A small init script that
            #                    keeps a pid file.
            ### END INIT INFO
            PID={{pidFile}}
            case "$1" in
            start)  [ -s $PID ] && kill -0 $(cat $PID) 2>/dev/null && exit 0
                    nohup sleep 100000 >/dev/null 2>&1 & echo $! > $PID; exit 0 ;;
            stop)   [ -s $PID ] && kill $(cat $PID) 2>/dev/null; rm -f $PID; exit 0 ;;
            status) [ -f {{_temp.Combine("unknown")}} ] && exit 4
                    [ -s $PID ] || exit 3
                    kill -0 $(cat $PID) 2>/dev/null && exit 0
                    exit 1 ;;
            *)      exit 3 ;;
            esac
            """);
        await using var executor = TestAgents.Real(TestAgents.Options() with { LsbDirectory = lsb });
        OperationRequest Op(string action) => new("svc", AgentName.Parse("lsb:tdm-svc"), action);
        try
        {
            Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("monitor"))).Status);
            Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("start"))).Status);
            Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("monitor"))).Status);

            File.WriteAllText(_temp.Combine("unknown"), "");
            var unknown = await executor.RunAsync(Op("monitor"));
            Assert.Equal((OperationStatus.Error, 4), (unknown.Status, unknown.RawExitCode));
            File.Delete(_temp.Combine("unknown"));

            Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("stop"))).Status);
            Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("monitor"))).Status);
            // Dead with a pid file left behind: LSB status 1, not running.
            File.WriteAllText(pidFile, "999999999");
            var dead = await executor.RunAsync(Op("monitor"));
            Assert.Equal((OperationStatus.NotRunning, 1), (dead.Status, dead.RawExitCode));

            var metadata = MetadataParser.Parse((await executor.RunAsync(Op("meta-data"))).Stdout, "lsb:tdm-svc");
            Assert.Equal("Test service for Tandem", metadata.ShortDescription);
            Assert.Equal("A small init script that keeps a pid file.", metadata.LongDescription);
            Assert.Contains(metadata.Actions, a => a.Name == "monitor" && a.IntervalMs == 15_000);
        }
        finally
        {
            await executor.RunAsync(Op("stop"));
        }
    }

    [Fact]
    public async Task Fence_dummy_metadata_and_status_through_stdin()
    {
        var statusFile = _temp.Combine("power");
        File.WriteAllText(statusFile, "on");
        await using var executor = TestAgents.Real(TestAgents.Options());
        OperationRequest Op(string action) => new("fence-dummy", AgentName.Parse("stonith:fence_dummy"), action)
        {
            Parameters = new Dictionary<string, string> { ["status_file"] = statusFile, ["pcmk_host_list"] = "astapor" },
        };

        var metadata = await new MetadataProvider(executor).GetAsync(AgentName.Parse("stonith:fence_dummy"));
        Assert.Equal("fence_dummy", metadata.Name);
        Assert.Equal("Dummy fence agent", metadata.ShortDescription);
        Assert.Contains(metadata.Parameters, p => p.Name == "status_file");
        Assert.Contains(metadata.Actions, a => a.Name == "status");

        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("status"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("monitor"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("start"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("off") with { FenceTarget = "astapor" })).Status);
        Assert.Equal("off", File.ReadAllText(statusFile));
        var off = await executor.RunAsync(Op("status"));
        Assert.Equal((OperationStatus.NotRunning, 2), (off.Status, off.RawExitCode));
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("stop"))).Status);

        // The validator knows Pacemaker's own device options and the agent's parameters.
        var findings = ParameterValidator.Validate(AgentName.Parse("stonith:fence_dummy"), metadata,
            new Dictionary<string, string> { ["status_file"] = statusFile, ["pcmk_host_list"] = "astapor", ["statusfile"] = "x" });
        var finding = Assert.Single(findings);
        Assert.Contains("did you mean 'status_file'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_units_through_a_stand_in_systemctl()
    {
        // No systemd runs here (nor in CI containers): a stand-in systemctl records its calls and keeps state.
        var state = _temp.Combine("unit-state");
        var systemctl = _temp.Script("systemctl", $$"""
            #!/bin/sh
            echo "$*" >> {{_temp.Combine("calls")}}
            case "$1" in
            start) [ "$2" = nginx.service ] || { echo "Unit $2 not found." >&2; exit 5; }; echo active > {{state}} ;;
            stop) echo inactive > {{state}} ;;
            is-active) s=$(cat {{state}} 2>/dev/null || echo inactive); echo $s; [ $s = active ] ;;
            esac
            """);
        await using var executor = TestAgents.Real(TestAgents.Options() with { SystemctlPath = systemctl });
        OperationRequest Op(string unit, string action) => new(unit, AgentName.Parse($"systemd:{unit}"), action);
        Assert.Equal(OperationStatus.NotRunning, (await executor.RunAsync(Op("nginx", "monitor"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("nginx", "start"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("nginx", "monitor"))).Status);
        Assert.Equal(OperationStatus.Success, (await executor.RunAsync(Op("nginx", "stop"))).Status);
        var missing = await executor.RunAsync(Op("nosuch", "start"));
        Assert.Equal((OcfExitCode.ErrInstalled, ErrorClass.Hard), (missing.ExitCode, missing.ErrorClass));
        Assert.Equal(["is-active nginx.service", "start nginx.service", "is-active nginx.service", "stop nginx.service", "start nosuch.service"],
            File.ReadAllLines(_temp.Combine("calls")));
        var metadata = MetadataParser.Parse((await executor.RunAsync(Op("nginx", "meta-data"))).Stdout, "systemd:nginx");
        Assert.Equal("systemd unit nginx", metadata.ShortDescription);
    }
}
