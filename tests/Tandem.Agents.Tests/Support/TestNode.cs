using System.Diagnostics;
using System.Globalization;

namespace Tandem.Agents.Tests.Support;

/// <summary>
/// A node of our own for agents that change the machine: a network namespace (optional) with eth0 wired by
/// a veth pair to a client namespace, and a private mount namespace with its own /run, held open by a
/// sleeping holder process (the lab's pattern, docs in ../shared/notes/LAB.md). Names carry a unique
/// prefix per run; everything is removed on dispose.
/// </summary>
public sealed class TestNode : IDisposable
{
    private readonly Process _holder;

    public TestNode(bool network)
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        if (network)
        {
            Namespace = "tdma" + id;
            ClientNamespace = "tdma" + id + "c";
            HostCommand.Check("ip", "netns", "add", Namespace);
            HostCommand.Check("ip", "netns", "add", ClientNamespace);
            HostCommand.Check("ip", "-n", Namespace, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", ClientNamespace);
            HostCommand.Check("ip", "-n", Namespace, "addr", "add", "192.0.2.1/24", "dev", "eth0");
            HostCommand.Check("ip", "-n", ClientNamespace, "addr", "add", "192.0.2.2/24", "dev", "eth0");
            foreach (var ns in new[] { Namespace, ClientNamespace })
            {
                HostCommand.Check("ip", "-n", ns, "link", "set", "lo", "up");
                HostCommand.Check("ip", "-n", ns, "link", "set", "eth0", "up");
            }
        }
        // A private /run keeps agents' state files (HA_RSCTMP, libmount's utab) inside the node.
        const string inside = "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/resource-agents /run/lock && exec sleep 100000";
        string[] holder = network
            ? ["ip", "netns", "exec", Namespace!, "unshare", "--mount", "--propagation", "private", "sh", "-c", inside]
            : ["unshare", "--mount", "--propagation", "private", "sh", "-c", inside];
        _holder = Process.Start(new ProcessStartInfo(holder[0], holder[1..]) { RedirectStandardError = true })!;
        HolderPid = _holder.Id;
        // The holder is ready once its /run is the tmpfs.
        var deadline = Environment.TickCount64 + 10_000;
        while (!Run("sh", "-c", "findmnt -n -o FSTYPE /run | grep -q tmpfs").Code.Equals(0))
        {
            Assert.True(Environment.TickCount64 < deadline && !_holder.HasExited, "the node's holder process did not come up: " + (_holder.HasExited ? _holder.StandardError.ReadToEnd() : ""));
            Thread.Sleep(20);
        }
    }

    public string? Namespace { get; }

    public string? ClientNamespace { get; }

    public int HolderPid { get; }

    /// <summary>Runs a command inside the node (its network and mount namespaces).</summary>
    public (int Code, string Output) Run(params string[] command)
    {
        List<string> args = ["-t", HolderPid.ToString(CultureInfo.InvariantCulture), "-m"];
        if (Namespace is not null)
        {
            args.Add("-n");
        }
        args.Add("--");
        args.AddRange(command);
        return HostCommand.Run("nsenter", [.. args]);
    }

    /// <summary>Runs a command in the client namespace.</summary>
    public (int Code, string Output) Client(params string[] command) =>
        HostCommand.Run("ip", ["netns", "exec", ClientNamespace!, .. command]);

    public void Dispose()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill();
            _holder.WaitForExit();
        }
        _holder.Dispose();
        if (Namespace is not null)
        {
            HostCommand.Run("ip", "netns", "del", Namespace);
            HostCommand.Run("ip", "netns", "del", ClientNamespace!);
        }
    }
}
