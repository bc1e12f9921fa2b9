using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tandem.Volumes.Tests.Devices;

namespace Tandem.Bench;

/// <summary>
/// Volume throughput and sync-write latency, in one run, side by side: fio on a file of the raw disk,
/// then on ext4 over the volume standalone (no peer), replicated with protocol C, and with protocol A
/// (two volume services on this host over 127.0.0.1), and with protocol C with the peer's disk on tmpfs
/// (this host has one disk: tmpfs stands in for the peer machine's own). Report: bench/results/volumes.md.
/// </summary>
public static class VolumesBench
{
    private sealed record Result(string Setup, double SeqMBps, double SyncIops, double WriteP50Us, double FsyncP50Us);

    public static async Task<int> RunAsync(string[] args)
    {
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("volumes: run as root (loop devices, FUSE, mounts)");
            return 2;
        }
        var results = new List<Result>();
        var rttUs = LoopbackRoundTripUs();
        var raw = Path.Combine(Path.GetTempPath(), "tandem-bench-raw-" + Environment.ProcessId);
        Directory.CreateDirectory(raw);
        try
        {
            results.Add(Fio("raw file (host disk)", raw));
        }
        finally
        {
            Directory.Delete(raw, recursive: true);
        }
        results.Add(OnVolume("volume standalone (no peer)", "C", replicated: false));
        results.Add(OnVolume("volume replicated, protocol C", "C", replicated: true));
        results.Add(OnVolume("volume replicated, protocol A", "A", replicated: true));
        results.Add(OnVolume("volume replicated, protocol C, peer's disk on tmpfs", "C", replicated: true, peerDiskDirectory: "/dev/shm"));
        var report = Report(results, rttUs);
        Console.Write(report);
        var dir = FindRepo() is { } repo ? Path.Combine(repo, "bench", "results") : "bench/results";
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "volumes.md"), report).ConfigureAwait(false);
        return 0;
    }

    private static Result OnVolume(string setup, string protocol, bool replicated, string? peerDiskDirectory = null)
    {
        Console.Error.WriteLine($"volumes: {setup}");
        using var pair = new VolumePair(protocol: protocol, size: "1G", resyncRate: "1G", peerDiskDirectory: peerDiskDirectory);
        if (replicated)
        {
            pair.UpAndSync();
        }
        else
        {
            pair.Cli("a", "volume", "create-md", VolumePair.Volume);
            pair.Serve("a");
            pair.Cli("a", "volume", "up", VolumePair.Volume);
            pair.Cli("a", "volume", "primary", "--force", VolumePair.Volume);
        }
        pair.Sh($"mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 {pair.Device("a")}");
        var mnt = pair.Mount("a");
        var result = Fio(setup, mnt);
        var status = pair.Status("a");
        if (status.DataPlaneAllocatedBytes != 0)
        {
            Console.Error.WriteLine($"volumes: warning: the data plane allocated {status.DataPlaneAllocatedBytes} bytes");
        }
        return result;
    }

    private static Result Fio(string setup, string directory)
    {
        var seq = RunFio(directory, "--name=seq", "--size=512M", "--bs=1M", "--rw=write", "--ioengine=psync", "--direct=1", "--end_fsync=1");
        var seqMBps = seq.GetProperty("jobs")[0].GetProperty("write").GetProperty("bw_bytes").GetDouble() / 1e6;
        var sync = RunFio(directory, "--name=sync", "--size=64M", "--bs=4k", "--rw=write", "--ioengine=psync", "--fsync=1", "--runtime=15", "--time_based");
        var job = sync.GetProperty("jobs")[0];
        var iops = job.GetProperty("write").GetProperty("iops").GetDouble();
        var writeP50 = Percentile(job.GetProperty("write").GetProperty("clat_ns"));
        var fsyncP50 = Percentile(job.GetProperty("sync").GetProperty("lat_ns"));
        Console.Error.WriteLine($"volumes: {setup}: {seqMBps:0} MB/s, {iops:0} IOPS, write p50 {writeP50:0} µs, fsync p50 {fsyncP50:0} µs");
        return new Result(setup, seqMBps, iops, writeP50, fsyncP50);
    }

    private static double Percentile(JsonElement lat) =>
        lat.GetProperty("percentile").GetProperty("50.000000").GetDouble() / 1000;

    private static JsonElement RunFio(string directory, params string[] args)
    {
        var psi = new ProcessStartInfo("fio") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--directory=" + directory);
        psi.ArgumentList.Add("--output-format=json");
        psi.ArgumentList.Add("--unlink=1");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"fio {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
        }
        return JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement.Clone();
    }

    /// <summary>Median round trip of a small message over loopback TCP: the "one round trip" of the target.</summary>
    private static double LoopbackRoundTripUs()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        using var server = listener.AcceptSocket();
        server.NoDelay = true;
        var echo = new Thread(() =>
        {
            var b = new byte[32];
            while (server.Receive(b) > 0)
            {
                server.Send(b);
            }
        }) { IsBackground = true };
        echo.Start();
        var buffer = new byte[32];
        var samples = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            var t = Stopwatch.GetTimestamp();
            client.Send(buffer);
            client.Receive(buffer);
            samples.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }
        client.Shutdown(SocketShutdown.Both);
        // The echo thread sees the end of the stream and stops before its socket is disposed.
        echo.Join();
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static string Report(List<Result> r, double rttUs)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append("# Volume benchmark\n\n");
        s.Append("Command: `./build.sh bench volumes` (or `dotnet run --project bench/Tandem.Bench -c Release -- volumes`), as root.\n\n");
        s.Append($"Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}. ");
        s.Append("Both replicas share one disk here, so the peer's flush and the local one queue behind each other; on two machines they run in parallel. ");
        s.Append("Both replicas live on this host (same disk, peers over 127.0.0.1); the volume rows run fio on ext4 over /dev/tandem/NAME (1 GiB volume, loop with direct I/O over the FUSE image).\n\n");
        s.Append("fio: seq = `--bs=1M --rw=write --direct=1 --end_fsync=1 --size=512M`; sync = `--bs=4k --rw=write --fsync=1` QD1 for 15 s.\n\n");
        s.Append("| setup | seq write 1 MiB + fsync (MB/s) | 4 KiB write+fsync QD1 (IOPS) | write p50 (µs) | fsync p50 (µs) |\n|---|---|---|---|---|\n");
        foreach (var x in r)
        {
            s.Append(inv, $"| {x.Setup} | {x.SeqMBps:0} | {x.SyncIops:0} | {x.WriteP50Us:0} | {x.FsyncP50Us:0} |\n");
        }
        var standalone = r[1];
        var c = r[2];
        var ratio = c.SeqMBps / standalone.SeqMBps;
        var standaloneOp = standalone.WriteP50Us + standalone.FsyncP50Us;
        var budget = standaloneOp + rttUs + 100;
        s.Append(inv, $"\nLoopback TCP round trip (median of 2000): {rttUs:0} µs.\n\n");
        s.Append("Targets (issue 7, acceptance 5):\n\n");
        s.Append(inv, $"- replicated C throughput ≥ 90% of standalone: {ratio * 100:0}% — {(ratio >= 0.9 ? "met" : "NOT met")}\n");
        foreach (var row in new[] { c, r[4] })
        {
            var op = row.WriteP50Us + row.FsyncP50Us;
            s.Append(inv, $"- sync write p50 (write + fsync) ≤ standalone + one round trip + 0.1 ms, {row.Setup}: {op:0} µs vs {budget:0} µs ({standaloneOp:0} + {rttUs:0} + 100) — {(op <= budget ? "met" : "NOT met")}\n");
        }
        s.Append("\nThe row with the peer's disk on tmpfs separates what replication costs (the round trip, the peer's work) from two flushes queueing on one disk; its peer flush is faster than a real disk's, so it is the lower bound of a two-machine figure.\n");
        return s.ToString();
    }

    private static string? FindRepo()
    {
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx")))
            {
                return d.FullName;
            }
        }
        return null;
    }
}
