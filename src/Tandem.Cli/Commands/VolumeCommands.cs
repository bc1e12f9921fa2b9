using System.CommandLine;
using System.Text;
using Tandem.Cli.Output;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Replication;
using Tandem.Volumes.Service;

namespace Tandem.Cli.Commands;

/// <summary>`tandem volume`: replicated volumes, with drbdadm's verbs.</summary>
public static class VolumeCommands
{
    public static Command Create()
    {
        var volume = new Command("volume", "Replicated volumes (like DRBD): create-md, up, primary, status, ...");
        volume.Subcommands.Add(VolumeCreateCommand.Create());
        volume.Subcommands.Add(Serve());
        volume.Subcommands.Add(CreateMd());
        volume.Subcommands.Add(Simple("up", "Attach this node's replica and connect to the peer (starts the volume service if needed)", "up", autostart: true));
        volume.Subcommands.Add(Simple("down", "Demote (refused while in use), disconnect and detach", "down"));
        volume.Subcommands.Add(Primary());
        volume.Subcommands.Add(Simple("secondary", "Demote to Secondary: /dev/tandem/NAME goes away (refused while mounted)", "secondary"));
        volume.Subcommands.Add(Connect());
        volume.Subcommands.Add(Simple("disconnect", "Stop replicating: StandAlone until 'connect'", "disconnect"));
        volume.Subcommands.Add(Simple("outdate", "Mark this replica's data as older than the peer's", "outdate"));
        volume.Subcommands.Add(Status());
        volume.Subcommands.Add(RoleCommand());
        volume.Subcommands.Add(WaitSync());
        volume.Subcommands.Add(Validate());
        return volume;
    }

    private static VolumePaths Paths => VolumePaths.FromEnvironment();

    private static Argument<string> NameArgument() => new("name") { Description = "Volume name (its definition is /etc/tandem/volumes/NAME.json)" };

    private static Command Serve()
    {
        var command = new Command("serve", "Run this node's volume service in the foreground (one per node; outlives the cluster daemon)");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Cancel();
            });
            using var service = new VolumeService(Paths, VolumePaths.NodeName(), Log);
            try
            {
                await service.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new CliException(e.Message);
            }
            return 0;
        });
        return command;
    }

    private static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}");

    private static Command CreateMd()
    {
        var name = NameArgument();
        var force = new Option<bool>("--force") { Description = "Overwrite existing metadata (the replica then counts as never synced)" };
        var command = new Command("create-md", "Write fresh metadata on this node's replica (creates a missing backing file)") { name, force };
        command.SetAction(parse =>
        {
            var def = Load(parse.GetValue(name)!);
            try
            {
                Console.WriteLine(Volume.CreateMetadata(def, VolumePaths.NodeName(), parse.GetValue(force)));
            }
            catch (Exception e) when (e is VolumeStateException or VolumeDefinitionException or IOException or InvalidDataException)
            {
                throw new CliException(e.Message);
            }
            return 0;
        });
        return command;
    }

    private static Command Simple(string verb, string description, string request, bool autostart = false)
    {
        var name = NameArgument();
        var command = new Command(verb, description) { name };
        command.SetAction(parse =>
        {
            Print(Call(new ControlRequest(request, parse.GetValue(name)), autostart));
            return 0;
        });
        return command;
    }

    private static Command Primary()
    {
        var name = NameArgument();
        var force = new Option<bool>("--force") { Description = "Promote even if the data is not known to be the newest (initial sync, lost peer)" };
        var command = new Command("primary", "Promote to Primary: publishes /dev/tandem/NAME (refused for stale data unless --force)") { name, force };
        command.SetAction(parse =>
        {
            Print(Call(new ControlRequest("primary", parse.GetValue(name), Force: parse.GetValue(force))));
            return 0;
        });
        return command;
    }

    private static Command Connect()
    {
        var name = NameArgument();
        var discard = new Option<bool>("--discard-my-data") { Description = "Split-brain victim: throw this replica's changes away and resync from the peer" };
        var command = new Command("connect", "Connect to the peer (after disconnect or split brain)") { name, discard };
        command.SetAction(parse =>
        {
            Print(Call(new ControlRequest("connect", parse.GetValue(name), DiscardMyData: parse.GetValue(discard))));
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var name = new Argument<string?>("name") { Description = "Volume name (all volumes when omitted)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var command = new Command("status", "State of the volumes, like /proc/drbd: cs:/ro:/ds: and resync progress") { name, json };
        command.SetAction(parse =>
        {
            if (!ControlClient.IsServing(Paths))
            {
                if (parse.GetValue(json))
                {
                    Json.Write(Array.Empty<VolumeStatus>());
                }
                else
                {
                    Console.WriteLine("no volume service running on this node (no volume is up)");
                }
                return 0;
            }
            var response = Call(new ControlRequest("status", parse.GetValue(name)));
            if (parse.GetValue(json))
            {
                Json.Write(response.Volumes ?? []);
            }
            else
            {
                foreach (var v in response.Volumes ?? [])
                {
                    Console.Write(Describe(v));
                }
            }
            return 0;
        });
        return command;
    }

    private static Command RoleCommand()
    {
        var name = NameArgument();
        var command = new Command("role", "Print this replica's role and the peer's: Primary/Secondary") { name };
        command.SetAction(parse =>
        {
            var v = Call(new ControlRequest("status", parse.GetValue(name))).Volumes![0];
            Console.WriteLine($"{v.Role}/{v.PeerRole}");
            return 0;
        });
        return command;
    }

    private static Command WaitSync()
    {
        var name = NameArgument();
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (0: wait forever)", DefaultValueFactory = _ => 0 };
        var command = new Command("wait-sync", "Wait until both replicas are UpToDate, showing progress (percent, rate, ETA)") { name, timeout };
        command.SetAction(parse =>
        {
            var deadline = parse.GetValue(timeout) is > 0 and var t ? Environment.TickCount64 + (t * 1000L) : long.MaxValue;
            var tty = !Console.IsOutputRedirected;
            var lastLine = "";
            while (true)
            {
                var v = Call(new ControlRequest("status", parse.GetValue(name))).Volumes![0];
                if (v.Connection == ConnectionState.Connected && v.Disk == DiskState.UpToDate && v.PeerDisk == DiskState.UpToDate)
                {
                    Console.WriteLine((tty ? "\r" : "") + $"{v.Name}: {v.Line}".PadRight(Math.Max(lastLine.Length, 1)));
                    return 0;
                }
                if (v.Connection == ConnectionState.StandAlone)
                {
                    throw new CliException($"{v.Name}: StandAlone{(v.Problem is null ? "" : ": " + v.Problem)}");
                }
                if (Environment.TickCount64 > deadline)
                {
                    throw new CliException($"{v.Name}: not in sync after {parse.GetValue(timeout)}s ({v.Line})");
                }
                var line = v.Resync is { } p ? $"{v.Name}: {Bar(p)}" : $"{v.Name}: {v.Line}";
                if (tty)
                {
                    Console.Write("\r" + line.PadRight(lastLine.Length));
                }
                else if (line != lastLine)
                {
                    Console.WriteLine(line);
                }
                lastLine = line;
                Thread.Sleep(tty ? 250 : 1000);
            }
        });
        return command;
    }

    private static Command Validate()
    {
        var target = new Argument<string>("file-or-name") { Description = "A definition file, or a volume name under /etc/tandem/volumes" };
        var command = new Command("validate", "Check a volume definition and print it in canonical form (the same file goes on every node)") { target };
        command.SetAction(parse =>
        {
            var t = parse.GetValue(target)!;
            var def = File.Exists(t) ? LoadFile(t) : Load(t);
            Console.Write(DefinitionFile.Format(def));
            return 0;
        });
        return command;
    }

    private static VolumeDefinition Load(string name) => LoadFile(DefinitionFile.PathOf(Paths.ConfigDir, name));

    private static VolumeDefinition LoadFile(string path)
    {
        try
        {
            return DefinitionFile.Load(path);
        }
        catch (VolumeDefinitionException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static ControlResponse Call(ControlRequest request, bool autostart = false)
    {
        try
        {
            if (autostart)
            {
                ControlClient.EnsureServing(Paths, Environment.ProcessPath ?? "tandem",
                    Environment.GetEnvironmentVariable("TANDEM_VOLUMES_LOG") ?? "/var/log/tandem/volumes.log");
            }
            var response = ControlClient.Send(Paths, request);
            return response.Ok ? response : throw new CliException(response.Error ?? "failed");
        }
        catch (IOException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static void Print(ControlResponse r)
    {
        if (r.Message is not null)
        {
            Console.WriteLine(r.Message);
        }
    }

    /// <summary>The /proc/drbd-style block of one volume.</summary>
    public static string Describe(VolumeStatus v)
    {
        var s = new StringBuilder();
        s.Append($"{v.Name}: {v.Line}\n");
        if (v.Resync is { } p)
        {
            s.Append($"    {Bar(p)}\n");
        }
        s.Append($"    node: {v.Node}  peer: {v.Peer}  size: {ByteSize.Format(v.SizeBytes)}  out of sync: {ByteSize.Format(v.OutOfSyncBytes)}");
        if (v.LastResyncBytes > 0)
        {
            s.Append($"  last resync: {ByteSize.Format(v.LastResyncBytes)}");
        }
        s.Append('\n');
        if (v.Device is not null)
        {
            s.Append($"    device: {v.Device} -> {v.LoopDevice}\n");
        }
        if (v.IoFrozen)
        {
            s.Append("    I/O held (handshake or fencing in progress)\n");
        }
        if (v.Problem is not null)
        {
            s.Append($"    problem: {v.Problem}\n");
        }
        return s.ToString();
    }

    private static string Bar(ResyncProgress p)
    {
        const int width = 20;
        var filled = (int)(p.Percent / 100 * width);
        var bar = new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? ">" : "") + new string('.', width - filled);
        var eta = p.EtaSeconds is { } e ? TimeSpan.FromSeconds(Math.Ceiling(e)).ToString(@"h\:mm\:ss") : "?";
        return $"[{bar}] sync'ed: {p.Percent:0.0}% ({ByteSize.Format(p.TotalBytes - p.DoneBytes)} of {ByteSize.Format(p.TotalBytes)} left) speed: {ByteSize.Format(p.BytesPerSecond)}/s finish: {eta}";
    }
}
