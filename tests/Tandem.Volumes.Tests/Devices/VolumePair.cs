using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tandem.Volumes.Service;

namespace Tandem.Volumes.Tests.Devices;

/// <summary>
/// Two volume services on this host (nodes "a" and "b", separate state directories, peers over
/// 127.0.0.1 on free ports) with real /dev/fuse, loop devices and file systems. Everything it made —
/// mounts, loop devices, FUSE connections, processes (by PID), files — is removed on Dispose, also
/// after a failure. Tests that need it run as root (CI does).
/// </summary>
public sealed class VolumePair : IDisposable
{
    public const string Volume = "tv";
    private readonly Dictionary<string, Process> _serve = [];
    private readonly Dictionary<string, StringBuilder> _serveLog = [];
    private readonly List<string> _mounts = [];
    private readonly HashSet<string> _loops = [];

    // peerDiskDirectory: where b's disk image lives (default: under Root); another file system stands in for the peer machine's own disk.
    public VolumePair(string protocol = "C", string size = "256M", string? secretOfB = null, string resyncRate = "400M", string? peerDiskDirectory = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "tandem-vt-" + Guid.NewGuid().ToString("N")[..10]);
        PeerDisk = peerDiskDirectory is null ? Dir("b", "disk.img") : Path.Combine(peerDiskDirectory, Path.GetFileName(Root) + "-b-disk.img");
        Ports = [FreePort(), FreePort()];
        foreach (var (node, secret) in new[] { ("a", "0123456789abcdef-secret"), ("b", secretOfB ?? "0123456789abcdef-secret") })
        {
            Directory.CreateDirectory(Dir(node, "etc"));
            File.WriteAllText(Path.Combine(Dir(node, "etc"), Volume + ".json"), $$"""
                { "name": "{{Volume}}", "size": "{{size}}", "protocol": "{{protocol}}", "secret": "{{secret}}",
                  "resync-rate": "{{resyncRate}}", "ping-interval": "300ms", "timeout": "2s",
                  "replicas": [ { "node": "a", "address": "127.0.0.1:{{Ports[0]}}", "disk": "{{Dir("a", "disk.img")}}" },
                                { "node": "b", "address": "127.0.0.1:{{Ports[1]}}", "disk": "{{PeerDisk}}" } ] }
                """);
        }
    }

    public string Root { get; }

    /// <summary>b's disk image.</summary>
    public string PeerDisk { get; }

    public int[] Ports { get; }

    public static string Tandem => Path.Combine(AppContext.BaseDirectory, "tandem");

    public string Dir(string node, string name) => Path.Combine(Root, node, name);

    public string Device(string node) => Dir(node, "dev/" + Volume);

    public int ServePid(string node) => _serve[node].Id;

    public string ServeLog(string node) => _serveLog[node].ToString();

    public VolumePaths Paths(string node) => new(Dir(node, "etc"), Dir(node, "run"), Dir(node, "dev"));

    /// <summary>Starts <c>tandem volume serve</c> for a node and waits until it answers.</summary>
    public void Serve(string node)
    {
        var psi = Psi(node, Tandem, "volume", "serve");
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        var p = Process.Start(psi)!;
        var log = _serveLog.TryGetValue(node, out var l) ? l : _serveLog[node] = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        _serve[node] = p;
        Until(() => ControlClient.IsServing(Paths(node)), $"volume service of {node} answers", 20);
    }

    /// <summary>Runs `tandem ARGS` as the node; throws with its stderr when it fails.</summary>
    public (int Exit, string Out, string Err) Cli(string node, params string[] args) => Run(node, true, Tandem, args);

    public (int Exit, string Out, string Err) Try(string node, params string[] args) => Run(node, false, Tandem, args);

    public (int Exit, string Out, string Err) Sh(string command, bool check = true) => Run("a", check, "/bin/sh", "-c", command);

    /// <summary>Runs the ocf:tandem:volume agent of this repository as the node, with a recording crm_master.</summary>
    public (int Exit, string Out, string Err) Agent(string node, string action)
    {
        var bin = Path.Combine(Root, node, "bin");
        if (!Directory.Exists(bin))
        {
            Directory.CreateDirectory(bin);
            File.WriteAllText(Path.Combine(bin, "crm_master"), $"#!/bin/sh\necho \"$*\" >> {Path.Combine(Root, node, "crm_master.log")}\n");
            File.SetUnixFileMode(Path.Combine(bin, "crm_master"), (UnixFileMode)0x1ED);
        }
        var psi = Psi(node, "/bin/sh", AgentPath, action);
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["OCF_ROOT"] = "/usr/lib/ocf";
        psi.Environment["OCF_RESOURCE_INSTANCE"] = "vol";
        psi.Environment["OCF_RESKEY_volume"] = Volume;
        psi.Environment["OCF_RESKEY_tandem"] = Tandem;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    /// <summary>The last promotion-score call the agent made on a node (arguments of crm_master).</summary>
    public string LastScore(string node) =>
        File.ReadAllLines(Path.Combine(Root, node, "crm_master.log")).LastOrDefault() ?? "";

    private static string AgentPath
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Tandem.slnx")))
                {
                    return Path.Combine(d.FullName, "agents", "ocf", "tandem", "volume");
                }
            }
            throw new FileNotFoundException("agents/ocf/tandem/volume (repository root not found)");
        }
    }

    public VolumeStatus Status(string node) => ControlClient.Send(Paths(node), new ControlRequest("status", Volume)).Volumes![0];

    /// <summary>create-md, serve and up on both nodes; a forced Primary on a; waits for the initial full sync.</summary>
    public void UpAndSync()
    {
        foreach (var n in new[] { "a", "b" })
        {
            Cli(n, "volume", "create-md", Volume);
            Serve(n);
            Cli(n, "volume", "up", Volume);
        }
        Cli("a", "volume", "primary", "--force", Volume);
        Cli("a", "volume", "wait-sync", Volume, "--timeout", "120");
    }

    public string Mount(string node)
    {
        var target = Dir(node, "mnt");
        Directory.CreateDirectory(target);
        _loops.Add(new FileInfo(Device(node)).LinkTarget!);
        Sh($"mount {Device(node)} {target}");
        _mounts.Add(target);
        return target;
    }

    public void Unmount(string node)
    {
        var target = Dir(node, "mnt");
        Sh($"umount {target}");
        _mounts.Remove(target);
    }

    public void Kill(string node)
    {
        if (_serve.TryGetValue(node, out var p) && !p.HasExited)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
    }

    public static void Until(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = Environment.TickCount64 + (seconds * 1000L);
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"timed out after {seconds}s waiting until {what}");
            }
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        // Mounts first (lazily, so a hung one cannot block), then FUSE connections that still hang.
        foreach (var m in MountsUnder(Root).OrderByDescending(m => m.Length))
        {
            Run("a", false, "umount", "-l", m);
        }
        foreach (var n in _serve.Keys)
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(Try(n, "volume", "status", "--json").Out, "\"loopDevice\": \"([^\"]+)\""))
            {
                _loops.Add(m.Groups[1].Value);
            }
            Try(n, "volume", "down", Volume);
        }
        foreach (var p in _serve.Values)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        foreach (var line in Run("a", false, "losetup", "-a").Out.Split('\n'))
        {
            var device = line.Split(':')[0];
            if (line.Contains(Root, StringComparison.Ordinal) || _loops.Contains(device))
            {
                Run("a", false, "losetup", "-d", device);
            }
        }
        foreach (var m in MountsUnder(Root))
        {
            AbortFuse(m);
            Run("a", false, "umount", "-l", m);
        }
        try
        {
            Directory.Delete(Root, recursive: true);
            File.Delete(PeerDisk);
        }
        catch (IOException)
        {
        }
    }

    private static IEnumerable<string> MountsUnder(string root) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Where(f => f.Length > 4 && f[4].StartsWith(root, StringComparison.Ordinal)).Select(f => f[4]).ToList();

    private static void AbortFuse(string mount)
    {
        foreach (var l in File.ReadLines("/proc/self/mountinfo"))
        {
            var f = l.Split(' ');
            if (f.Length > 4 && f[4] == mount && l.Contains("fuse", StringComparison.Ordinal))
            {
                var abort = $"/sys/fs/fuse/connections/{f[2].Split(':')[1]}/abort";
                if (File.Exists(abort))
                {
                    File.WriteAllText(abort, "1");
                }
            }
        }
    }

    private ProcessStartInfo Psi(string node, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["TANDEM_NODE"] = node;
        psi.Environment["TANDEM_VOLUMES_CONFIG_DIR"] = Dir(node, "etc");
        psi.Environment["TANDEM_VOLUMES_RUN_DIR"] = Dir(node, "run");
        psi.Environment["TANDEM_VOLUMES_DEV_DIR"] = Dir(node, "dev");
        psi.Environment["TANDEM_VOLUMES_LOG"] = Dir(node, "serve-auto.log");
        return psi;
    }

    private (int Exit, string Out, string Err) Run(string node, bool check, string file, params string[] args)
    {
        using var p = Process.Start(Psi(node, file, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        var result = (p.ExitCode, stdout.Result, stderr);
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"[{node}] {Path.GetFileName(file)} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Trim()} {stdout.Result.Trim()}");
        }
        return result;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
