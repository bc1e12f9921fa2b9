using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tandem.Lab;

namespace Tandem.Corosync.Tests.Lab;

/// <summary>
/// A `tandem bus probe` process inside a lab node (entered with nsenter: network, mount, UTS and pid
/// namespaces of the node's holder). The test writes commands to its stdin and reads its events, one JSON
/// object per line.
/// </summary>
public sealed class Probe : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly Process _nsenter;
    private readonly List<JsonElement> _lines = [];
    private readonly Lock _gate = new();
    private readonly Task _reader;
    private readonly Task<string> _stderr;

    private readonly Action<string>? _log;

    private Probe(string node, Process nsenter, Action<string>? log)
    {
        Node = node;
        _log = log;
        _nsenter = nsenter;
        _reader = Task.Run(ReadAsync);
        _stderr = nsenter.StandardError.ReadToEndAsync();
    }

    public string Node { get; }

    /// <summary>The probe has ended and all its output is in <see cref="Lines"/>.</summary>
    public bool Disposed { get; private set; }

    /// <summary>This probe as the group knows it ("nodeid/pid"), once connected.</summary>
    public string? Self { get; private set; }

    /// <summary>Starts a probe; <paramref name="log"/> receives its whole output when it is disposed.</summary>
    public static Probe Start(LabMachine machine, string group, Action<string>? log = null)
    {
        var holder = machine.Holder ?? throw new InvalidOperationException($"{machine.Name} is powered off");
        var tandem = Path.Combine(AppContext.BaseDirectory, "tandem.dll");
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-t", holder.Pid.ToString(CultureInfo.InvariantCulture), "-n", "-m", "-u", "-p", "--wd=/", "--",
            "env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8",
            "dotnet", tandem, "bus", "probe", "--group", group,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start nsenter");
        return new Probe(machine.Name, process, log);
    }

    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lines.Count;
            }
        }
    }

    public void Command(string line)
    {
        _nsenter.StandardInput.WriteLine(line);
        _nsenter.StandardInput.Flush();
    }

    /// <summary>The first line at or after <paramref name="from"/> that matches; fails with the probe's recent output.</summary>
    public async Task<JsonElement> WaitForAsync(string what, Func<JsonElement, bool> match, int from = 0, TimeSpan? timeout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var lines = Lines;
            for (var i = from; i < lines.Count; i++)
            {
                if (match(lines[i]))
                {
                    return lines[i];
                }
            }
            if (stopwatch.Elapsed > (timeout ?? DefaultWait) || _reader.IsCompleted && Count == lines.Count)
            {
                var tail = string.Join("\n  ", lines.Skip(Math.Max(from, lines.Count - 15)).Select(l => l.GetRawText()));
                var stderr = _stderr.IsCompleted ? await _stderr.ConfigureAwait(false) : "";
                throw new TimeoutException($"probe on {Node} never printed {what}; its last lines:\n  {tail}\n{stderr}");
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public Task<JsonElement> WaitForEventAsync(string eventName, Func<JsonElement, bool> match, int from = 0, TimeSpan? timeout = null) =>
        WaitForAsync($"a '{eventName}' event as expected", l => Event(l) == eventName && match(l), from, timeout);

    public static string Event(JsonElement line) => line.GetProperty("event").GetString() ?? "";

    public static IReadOnlyList<string> Strings(JsonElement line, string property) =>
        [.. line.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? "")];

    /// <summary>The texts of the messages this probe delivered, in order.</summary>
    public IReadOnlyList<(string Sender, string Text)> Messages() =>
        [.. Lines.Where(l => Event(l) == "message").Select(l => (l.GetProperty("sender").GetString() ?? "", l.GetProperty("text").GetString() ?? ""))];

    /// <summary>SIGKILL to the probe itself (the process inside the node), as a crash.</summary>
    public void Kill()
    {
        foreach (var pid in ProcessIdentity.TryRead(_nsenter.Id)?.Children() ?? [])
        {
            using var child = Process.GetProcessById(pid);
            child.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Disposed)
        {
            return;
        }
        if (!_nsenter.HasExited)
        {
            try
            {
                Command("quit");
            }
            catch (IOException)
            {
                // Its stdin is gone: it is ending anyway.
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _nsenter.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                _nsenter.Kill();
            }
        }
        await _reader.ConfigureAwait(false);
        Disposed = true;
        if (_log is { } log)
        {
            log($"probe on {Node} ({Self}):");
            foreach (var line in Lines)
            {
                log($"  {line.GetRawText()}");
            }
            if (await _stderr.ConfigureAwait(false) is { Length: > 0 } stderr)
            {
                log($"  stderr: {stderr}");
            }
        }
        _nsenter.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _nsenter.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            JsonElement parsed;
            try
            {
                parsed = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                parsed = JsonDocument.Parse(JsonSerializer.Serialize(new { @event = "raw", text = line })).RootElement.Clone();
            }
            if (Event(parsed) == "connected")
            {
                Self = parsed.GetProperty("self").GetString();
            }
            lock (_gate)
            {
                _lines.Add(parsed);
            }
        }
    }
}
