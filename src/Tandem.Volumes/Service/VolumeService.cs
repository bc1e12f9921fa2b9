using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tandem.Volumes.DataPlane;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Replication;

namespace Tandem.Volumes.Service;

/// <summary>
/// <c>tandem volume serve</c>: one process per node hosting every volume that is up, independent of the
/// cluster daemon. Commands arrive on a root-only Unix socket; a failing command is answered with one
/// line and the service goes on.
/// </summary>
public sealed class VolumeService(VolumePaths paths, string node, Action<string> log) : IDisposable
{
    private const int PrSetIoFlusher = 57;
    private readonly Dictionary<string, Volume> _volumes = [];
    private readonly SemaphoreSlim _commands = new(1, 1);
    private Socket? _socket;

    public async Task RunAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(paths.RunDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(paths.RunDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(paths.Socket))
        {
            if (ControlClient.IsServing(paths))
            {
                throw new IOException($"{paths.Socket}: a volume service is already running");
            }
            File.Delete(paths.Socket);
        }
        // The data plane serves the kernel's writeback; ask to be treated as an I/O flusher (needs CAP_SYS_RESOURCE).
        if (Libc.Prctl(PrSetIoFlusher, 1, 0, 0, 0) != 0)
        {
            log($"PR_SET_IO_FLUSHER not granted: {Libc.Describe(Libc.Errno)}; keep the volume service out of the workload's memory cgroup");
        }
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(paths.Socket));
        File.SetUnixFileMode(paths.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _socket.Listen(16);
        File.WriteAllText(paths.PidFile, Environment.ProcessId + "\n");
        log($"volume service of node {node} listening on {paths.Socket}");
        using var registration = cancel.Register(() => _socket.Dispose());
        while (!cancel.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
            _ = Task.Run(() => Serve(client), CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _commands.Wait();
        try
        {
            foreach (var v in _volumes.Values)
            {
                v.Dispose();
            }
            _volumes.Clear();
        }
        finally
        {
            _commands.Release();
        }
        _socket?.Dispose();
        File.Delete(paths.Socket);
        File.Delete(paths.PidFile);
        _commands.Dispose();
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            ControlResponse response;
            if (PeerUid(client) != 0)
            {
                response = new ControlResponse(false, Error: "only root may control volumes");
            }
            else
            {
                try
                {
                    var line = await reader.ReadLineAsync().ConfigureAwait(false);
                    var request = line is null ? null : JsonSerializer.Deserialize<ControlRequest>(line, ControlJson.Options);
                    response = request is null ? new ControlResponse(false, Error: "empty request") : await Execute(request).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    response = new ControlResponse(false, Error: $"bad request: {e.Message}");
                }
            }
            await writer.WriteLineAsync(JsonSerializer.Serialize(response, ControlJson.Options)).ConfigureAwait(false);
        }
    }

    private static int PeerUid(Socket client)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } from SO_PEERCRED.
        Span<byte> cred = stackalloc byte[12];
        return client.GetRawSocketOption(1, 17, cred) >= 8 ? BitConverter.ToInt32(cred[4..]) : -1;
    }

    private async Task<ControlResponse> Execute(ControlRequest r)
    {
        if (r.Command == "ping")
        {
            // Answered even while a long command runs, so nobody mistakes a busy service for a dead one.
            return new ControlResponse(true, Message: node);
        }
        await _commands.WaitAsync().ConfigureAwait(false);
        try
        {
            return await Task.Run(() => ExecuteLocked(r)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VolumeStateException or VolumeDefinitionException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new ControlResponse(false, Error: e.Message.StartsWith(r.Volume + ":", StringComparison.Ordinal) || r.Volume is null ? e.Message : $"{r.Volume}: {e.Message}");
        }
        finally
        {
            _commands.Release();
        }
    }

    private ControlResponse ExecuteLocked(ControlRequest r)
    {
        switch (r.Command)
        {
            case "status":
                return new ControlResponse(true, Volumes: r.Volume is null
                    ? [.. _volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => v.Status())]
                    : [Get(r.Volume).Status()]);
            case "up":
                if (_volumes.ContainsKey(Need(r)))
                {
                    return Done(r, "already up");
                }
                var def = DefinitionFile.Load(DefinitionFile.PathOf(paths.ConfigDir, r.Volume!));
                _volumes[def.Name] = Volume.Up(def, node, paths, log);
                return Done(r, "up");
            case "down":
                if (!_volumes.TryGetValue(Need(r), out var down))
                {
                    return Done(r, "already down");
                }
                down.Down();
                _volumes.Remove(r.Volume!);
                return Done(r, "down");
            case "primary":
                Get(r.Volume).Promote(r.Force);
                return Done(r, "Primary");
            case "secondary":
                Get(r.Volume).Demote();
                return Done(r, "Secondary");
            case "connect":
                Get(r.Volume).Connect(r.DiscardMyData);
                return Done(r, "connecting");
            case "disconnect":
                Get(r.Volume).Disconnect();
                return Done(r, "StandAlone");
            case "outdate":
                Get(r.Volume).Outdate();
                return Done(r, "Outdated");
            default:
                return new ControlResponse(false, Error: $"unknown command '{r.Command}'");
        }
    }

    private ControlResponse Done(ControlRequest r, string message) =>
        new(true, Message: $"{r.Volume}: {message}", Volumes: _volumes.TryGetValue(r.Volume!, out var v) ? [v.Status()] : []);

    private static string Need(ControlRequest r) => r.Volume ?? throw new VolumeStateException($"{r.Command}: which volume?");

    private Volume Get(string? name) =>
        _volumes.TryGetValue(name ?? throw new VolumeStateException("which volume?"), out var v)
            ? v
            : throw new VolumeStateException($"{name}: not up on this node (run 'tandem volume up {name}')");
}
