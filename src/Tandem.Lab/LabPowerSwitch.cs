using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Tandem.Lab;

/// <summary>
/// The lab's power switch, as a hypervisor is for fence_virsh: a host process listening on a unix socket
/// in the lab's power directory, which every node sees as /run/tandem-lab (bind-mounted by its holder).
/// A request is one line, <c>SECRET ACTION [NODE]</c>, with the lab's secret (power/secret, 0600, also at
/// /run/tandem-lab/secret in the nodes; another lab's nodes never see it); actions: <c>off</c> (power the
/// node off, as <c>lab kill</c>), <c>on</c> (boot it, without waiting for it to rejoin), <c>status</c>
/// (answers on or off), <c>list</c> (the nodes). Answers: <c>ok [TEXT]</c> or <c>error TEXT</c>, one line.
/// </summary>
public sealed class LabPowerSwitch(string name)
{
    public const string NodeDirectory = "/run/tandem-lab";
    public const string SocketName = "power.sock";
    public const string SecretName = "secret";

    private readonly LabLayout _layout = new(name);

    public static string Directory(LabLayout layout) => Path.Combine(layout.Root, "power");

    /// <summary>Creates the power directory and a fresh secret (before the nodes boot).</summary>
    public static void Prepare(LabLayout layout)
    {
        var dir = Directory(layout);
        System.IO.Directory.CreateDirectory(dir);
        var secret = Path.Combine(dir, SecretName);
        File.WriteAllText(secret, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant() + "\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var dir = Directory(_layout);
        var secret = Encoding.ASCII.GetBytes((await File.ReadAllTextAsync(Path.Combine(dir, SecretName), cancellationToken).ConfigureAwait(false)).Trim());
        var path = Path.Combine(dir, SocketName);
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(16);
        Console.WriteLine($"lab power switch of '{_layout.Name}' on {path}");
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(client, secret, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, byte[] secret, CancellationToken cancellationToken)
    {
        using (client)
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            string reply;
            try
            {
                var line = await reader.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) ?? "";
                reply = await HandleAsync(line.Length > 1024 ? "" : line, secret, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or TimeoutException or LabException or InvalidOperationException)
            {
                reply = "error " + e.Message.ReplaceLineEndings(" ");
            }
            Console.WriteLine($"{DateTimeOffset.UtcNow:O} {reply}");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\n"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> HandleAsync(string line, byte[] secret, CancellationToken cancellationToken)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[0]), secret))
        {
            return "error access denied";
        }
        var controller = new LabController(_layout.Name);
        var state = controller.Load();
        var action = parts[1];
        if (action == "list")
        {
            return "ok " + string.Join(' ', state.Nodes.Select(n => n.Name));
        }
        if (parts.Length != 3 || state.Nodes.FirstOrDefault(n => n.Name == parts[2]) is not { } machine)
        {
            return $"error no such node in lab '{_layout.Name}'";
        }
        switch (action)
        {
            case "status":
                return machine.Powered ? "ok on" : "ok off";
            case "off":
                Console.WriteLine($"{DateTimeOffset.UtcNow:O} powering {machine.Name} off");
                if (machine.Powered)
                {
                    await controller.KillAsync(machine.Name, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"{DateTimeOffset.UtcNow:O} {machine.Name} is off");
                }
                return "ok off";
            case "on":
                Console.WriteLine($"{DateTimeOffset.UtcNow:O} powering {machine.Name} on");
                if (!machine.Powered)
                {
                    await controller.BootAsync(machine.Name, cancellationToken).ConfigureAwait(false);
                }
                return "ok on";
            default:
                return string.Create(CultureInfo.InvariantCulture, $"error unknown action '{action}'");
        }
    }
}
