using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tandem.Volumes.Service;

/// <summary>Talks to the node's volume service; starts it first when asked and it is not running.</summary>
public static class ControlClient
{
    public static bool IsServing(VolumePaths paths)
    {
        try
        {
            return Send(paths, new ControlRequest("ping")).Ok;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static ControlResponse Send(VolumePaths paths, ControlRequest request, int timeoutMs = 120_000)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = timeoutMs;
            socket.Connect(new UnixDomainSocketEndPoint(paths.Socket));
            using var stream = new NetworkStream(socket);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            using var reader = new StreamReader(stream, Encoding.UTF8);
            writer.WriteLine(JsonSerializer.Serialize(request, ControlJson.Options));
            var line = reader.ReadLine() ?? throw new IOException("the volume service closed the connection");
            return JsonSerializer.Deserialize<ControlResponse>(line, ControlJson.Options) ?? throw new IOException("empty answer from the volume service");
        }
        catch (SocketException e)
        {
            throw new IOException($"no volume service at {paths.Socket} ({e.SocketErrorCode}); start it with 'tandem volume serve'");
        }
    }

    /// <summary>Starts <c>tandem volume serve</c> detached (own session, log file) unless one answers already.</summary>
    public static void EnsureServing(VolumePaths paths, string executable, string logFile)
    {
        if (IsServing(paths))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" volume serve >>\"$1\" 2>&1 </dev/null");
        psi.ArgumentList.Add(executable);
        psi.ArgumentList.Add(logFile);
        using (Process.Start(psi))
        {
        }
        var deadline = Environment.TickCount64 + 15_000;
        while (Environment.TickCount64 < deadline)
        {
            if (IsServing(paths))
            {
                return;
            }
            Thread.Sleep(100);
        }
        throw new IOException($"the volume service did not start; see {logFile}");
    }
}
