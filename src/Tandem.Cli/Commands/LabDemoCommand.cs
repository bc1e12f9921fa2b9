using System.CommandLine;
using System.Diagnostics;
using Tandem.Cli.Lab;
using Tandem.Corosync;
using Tandem.Lab;
using Tandem.Node.Api;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem lab demo`: the README's main job. A two-node lab (astapor, braavos), the technical note's
/// replicated volume made in it, the note's cluster loaded (the volume, its file system, VIP1 and the
/// service), and its failover test (section 8) with the status shown at each step and the data written
/// before each move read back after it.
/// </summary>
public static class LabDemoCommand
{
    private const string LabName = "demo";
    private static readonly TimeSpan MoveTimeout = TimeSpan.FromSeconds(60);
    private const string DataFile = SeedScenario.MountPoint + "/demo.txt";

    public static Command Create()
    {
        var command = new Command("demo", "The README's demo: a two-node lab, the technical note's cluster in it, and its failover test");
        command.SetAction(async (_, cancellationToken) =>
        {
            try
            {
                await RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                throw new CliException(e.Message);
            }
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(CancellationToken cancellationToken)
    {
        var controller = new LabController(LabName, m => Console.Error.WriteLine($"lab: {m}"));
        if (File.Exists(controller.Layout.StateFile))
        {
            Console.Error.WriteLine($"lab: removing the previous '{LabName}' lab");
            await controller.DownAsync(cancellationToken).ConfigureAwait(false);
        }
        var tandem = Environment.ProcessPath ?? throw new CliException("cannot tell where the tandem executable is");
        await controller.UpAsync(new LabOptions(LabName, ["astapor", "braavos"], QuorumMode.TwoNode), tandem, cancellationToken).ConfigureAwait(false);
        var cluster = new LabCluster(controller, tandem);

        Step("The cluster: two nodes, real corosync (knet, crypto on), a Tandem daemon in each");
        foreach (var node in new[] { "astapor", "braavos" })
        {
            await ShowAsync(cluster, node, ["status"], cancellationToken).ConfigureAwait(false);
        }

        Step($"The note's DRBD resource as a Tandem volume: {SeedScenario.Volume}, replicated between astapor and braavos, ext4 on it");
        Console.WriteLine($"[astapor]$ tandem volume create {SeedScenario.Volume} --size {SeedScenario.VolumeSize} --node astapor={controller.Load().Node("astapor").Address},braavos={controller.Load().Node("braavos").Address}");
        Console.WriteLine($"[both]$    tandem volume create-md {SeedScenario.Volume} && tandem volume up {SeedScenario.Volume}");
        Console.WriteLine($"[astapor]$ tandem volume primary --force {SeedScenario.Volume} && tandem volume wait-sync {SeedScenario.Volume}");
        Console.WriteLine($"[astapor]$ mkfs.ext4 /dev/tandem/{SeedScenario.Volume} && tandem volume secondary {SeedScenario.Volume}");
        await SeedScenario.CreateVolumeAsync(controller, tandem, SeedScenario.Volume, cancellationToken).ConfigureAwait(false);
        await ShowAsync(cluster, "astapor", ["volume", "status", SeedScenario.Volume], cancellationToken).ConfigureAwait(false);

        Step("The technical note's cluster (section 6), as crm-like text: the volume promotable, its file system, VIP1 and the service in a group");
        var configuration = SeedScenario.StackConfiguration(tandem);
        Console.Write(configuration);
        Console.WriteLine("$ tandem config load seed.txt");
        await cluster.LoadConfigurationAsync("astapor", configuration, cancellationToken).ConfigureAwait(false);
        var home = await WaitForStackAsync(cluster, "astapor", null, cancellationToken).ConfigureAwait(false);
        var other = home == "astapor" ? "braavos" : "astapor";
        await ShowStatusAsync(cluster, home, cancellationToken).ConfigureAwait(false);
        await ShowClientAsync(cluster, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(cluster, home, "written on " + home, cancellationToken).ConfigureAwait(false);

        Step($"Failover test (section 8): standby {home}; everything moves to {other}, the data with it");
        await MoveAsync(cluster, home, ["node", "standby", home], other, cancellationToken).ConfigureAwait(false);
        await ShowDataAsync(cluster, other, cancellationToken).ConfigureAwait(false);
        await WriteDataAsync(cluster, other, "written on " + other, cancellationToken).ConfigureAwait(false);

        Step($"{home} back online: its replica resyncs, stickiness keeps the resources on {other}");
        await ShowAsync(cluster, home, ["node", "online", home], cancellationToken).ConfigureAwait(false);
        await cluster.WaitAsync(other, s => s.Runtime?.StatusLines.Any(l => l.Contains("* Online: [ astapor braavos ]", StringComparison.Ordinal)) == true
            && s.Runtime.StatusLines.Any(l => l.Contains($"Unpromoted: [ {home} ]", StringComparison.Ordinal)), $"{home} coming back online", MoveTimeout, cancellationToken).ConfigureAwait(false);
        await cluster.TandemAsync(other, ["volume", "wait-sync", SeedScenario.Volume, "--timeout", "60"], cancellationToken).ConfigureAwait(false);
        await WaitForStackAsync(cluster, other, other, cancellationToken).ConfigureAwait(false);
        await ShowStatusAsync(cluster, other, cancellationToken).ConfigureAwait(false);
        await ShowAsync(cluster, other, ["volume", "status", SeedScenario.Volume], cancellationToken).ConfigureAwait(false);

        Step($"Standby {other}: the resources and the data go back to {home}");
        await MoveAsync(cluster, other, ["node", "standby", other], home, cancellationToken).ConfigureAwait(false);
        await ShowDataAsync(cluster, home, cancellationToken).ConfigureAwait(false);
        await ShowAsync(cluster, other, ["node", "online", other], cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"""

            The lab '{LabName}' is still running: two nodes with their own network, mounts and processes.
              tandem lab exec --name {LabName} astapor -- tandem status        run any command inside a node
              tandem lab exec --name {LabName} {home} -- cat {DataFile}  the data on the replicated volume
              tandem lab exec --name {LabName} astapor -- tandem node standby  the failover test by hand
              tandem lab kill --name {LabName} {home}                          power the active node off ('lab start' boots it)
              tandem lab cut --name {LabName} braavos                          pull its network cable ('lab heal')
              tandem lab client --name {LabName} -- ping {SeedScenario.Vip}          reach VIP1 from outside the cluster
              tandem lab down --name {LabName}                                 tear everything down
            """);
    }

    private static void Step(string title) => Console.WriteLine($"\n==> {title}\n");

    private static async Task ShowAsync(LabCluster cluster, string node, string[] arguments, CancellationToken cancellationToken)
    {
        Console.WriteLine($"[{node}]$ tandem {string.Join(' ', arguments)}");
        Console.Write((await cluster.TandemAsync(node, arguments, cancellationToken).ConfigureAwait(false)).StandardOutput);
    }

    private static Task ShowStatusAsync(LabCluster cluster, string node, CancellationToken cancellationToken) =>
        ShowAsync(cluster, node, ["status"], cancellationToken);

    private static async Task MoveAsync(LabCluster cluster, string node, string[] command, string target, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await ShowAsync(cluster, node, command, cancellationToken).ConfigureAwait(false);
        await WaitForStackAsync(cluster, target, target, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"(moved to {target} {stopwatch.Elapsed.TotalSeconds:0.00} s after the command was typed)\n");
        await ShowStatusAsync(cluster, target, cancellationToken).ConfigureAwait(false);
        await ShowClientAsync(cluster, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> WaitForStackAsync(LabCluster cluster, string node, string? expected, CancellationToken cancellationToken)
    {
        var status = await cluster.WaitAsync(node,
            s => StackNode(s) is { } where && (expected is null || where == expected),
            expected is null ? "the stack starting" : $"the stack moving to {expected}", MoveTimeout, cancellationToken).ConfigureAwait(false);
        return StackNode(status)!;
    }

    /// <summary>The node where the volume is Promoted and the whole group runs, or null.</summary>
    private static string? StackNode(StatusResponse status)
    {
        var promoted = (status.Runtime?.Placements ?? []).Where(p => p.Parent == "optzimbra_ms" && p.Role == "Promoted").SelectMany(p => p.Nodes).ToList();
        return promoted is [var node] && LabCluster.RunningTogether(status, [.. SeedScenario.StackGroup]) == node ? node : null;
    }

    /// <summary>Appends a line to the file on the volume and flushes it to both replicas (fsync) before going on.</summary>
    private static async Task WriteDataAsync(LabCluster cluster, string node, string line, CancellationToken cancellationToken)
    {
        Console.WriteLine($"\n[{node}]$ echo '{line}' >> {DataFile} && sync {DataFile}");
        var write = await cluster.Controller.RunAsync(node, ["sh", "-c", $"echo '{line}' >> {DataFile} && sync {DataFile}"], MoveTimeout, cancellationToken).ConfigureAwait(false);
        if (!write.Succeeded)
        {
            throw new LabException($"writing {DataFile} on {node}: {write.FirstErrorLine}");
        }
    }

    private static async Task ShowDataAsync(LabCluster cluster, string node, CancellationToken cancellationToken)
    {
        Console.WriteLine($"\n[{node}]$ cat {DataFile}");
        var read = await cluster.Controller.RunAsync(node, ["cat", DataFile], MoveTimeout, cancellationToken).ConfigureAwait(false);
        Console.Write(read.Succeeded ? read.StandardOutput : $"(cannot read it: {read.FirstErrorLine})\n");
    }

    private static async Task ShowClientAsync(LabCluster cluster, CancellationToken cancellationToken)
    {
        var owner = await cluster.OwnerSeenByClientAsync(SeedScenario.Vip, cancellationToken).ConfigureAwait(false);
        Console.WriteLine(owner is null
            ? $"\n[client]$ ping {SeedScenario.Vip}: no answer"
            : $"\n[client]$ ping {SeedScenario.Vip}: answered by {owner} (its MAC address)");
    }
}
