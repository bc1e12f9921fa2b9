using System.CommandLine;
using System.Security.Cryptography;
using Tandem.Node.Api;
using Tandem.Volumes.Definition;
using Tandem.Volumes.Service;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem volume create`: writes a volume's definition on every node that holds a replica, through the
/// local daemon and the cluster bus (the same file everywhere, as DRBD wants its resource file), or only
/// here with --local when no cluster runs.
/// </summary>
public static class VolumeCreateCommand
{
    public const int DefaultPort = 7789;

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Volume name (letters, digits, '.', '_', '-')" };
        var size = new Option<string>("--size") { Description = "Usable size, e.g. 1G, 512M (a multiple of 4K)", Required = true };
        var nodes = new Option<string[]>("--node")
        {
            Description = "A replica: NODE=ADDRESS[:PORT] (port 7789 by default); give it twice, or comma-separated",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var disk = new Option<string?>("--disk") { Description = "Backing disk on every node: a block device or a file (default /var/lib/tandem/volumes/NAME.img, created by create-md)" };
        var metaDisk = new Option<string>("--meta-disk") { Description = "'internal' (after the data) or a file or device of its own", DefaultValueFactory = _ => "internal" };
        var protocol = new Option<string>("--protocol") { Description = "C: a write is done when both replicas have it; A: when the local one has it", DefaultValueFactory = _ => "C" };
        var rate = new Option<string>("--resync-rate") { Description = "Upper bound of resync traffic per second", DefaultValueFactory = _ => "100M" };
        var secret = new Option<string?>("--secret") { Description = "Shared secret of the peer link (default: 32 random bytes, base64)" };
        var force = new Option<bool>("--force") { Description = "Replace a different existing definition of this volume" };
        var local = new Option<bool>("--local") { Description = "Write only this node's file (no cluster needed); then put the same file on the other node" };
        var command = new Command("create", "Define a volume on every node that holds a replica (writes /etc/tandem/volumes/NAME.json there)")
        {
            name, size, nodes, disk, metaDisk, protocol, rate, secret, force, local,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var volume = parse.GetValue(name)!;
            var replicas = ParseNodes(parse.GetValue(nodes) ?? []);
            var diskPath = parse.GetValue(disk) ?? $"/var/lib/tandem/volumes/{volume}.img";
            var text = $$"""
                {
                  "name": {{Quote(volume)}},
                  "size": {{Quote(parse.GetValue(size)!)}},
                  "protocol": {{Quote(parse.GetValue(protocol)!)}},
                  "resync-rate": {{Quote(parse.GetValue(rate)!)}},
                  "secret": {{Quote(parse.GetValue(secret) ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))}},
                  "replicas": [{{string.Join(", ", replicas.Select(r =>
                      $$"""{"node": {{Quote(r.Node)}}, "address": {{Quote(r.Address)}}, "disk": {{Quote(diskPath)}}, "meta-disk": {{Quote(parse.GetValue(metaDisk)!)}}}"""))}}]
                }
                """;
            VolumeDefinition definition;
            try
            {
                definition = DefinitionFile.Parse(text, "--options");
            }
            catch (VolumeDefinitionException e)
            {
                throw new CliException(e.Message);
            }
            var document = DefinitionFile.Format(definition);
            var paths = VolumePaths.FromEnvironment();
            var file = DefinitionFile.PathOf(paths.ConfigDir, volume);
            if (parse.GetValue(local))
            {
                if (File.Exists(file) && File.ReadAllText(file) != document && !parse.GetValue(force))
                {
                    throw new CliException($"{file} holds a different definition of '{volume}' (replace it with --force)");
                }
                DefinitionFile.Save(paths.ConfigDir, definition);
                Console.WriteLine($"{volume}: definition written to {file} on this node only; put the same file on {string.Join(", ", definition.Replicas.Select(r => r.Node))}");
            }
            else
            {
                var request = new VolumePutRequest(document, [.. definition.Replicas.Select(r => r.Node)], parse.GetValue(force));
                var answer = await DaemonCall.RunAsync(api => api.PutAsync<VolumePutRequest, VolumePutResponse>(
                    $"v1/volumes/{Uri.EscapeDataString(volume)}", request, cancellationToken)).ConfigureAwait(false);
                Console.WriteLine($"{volume}: definition written on {string.Join(", ", answer.Written)} ({file})");
            }
            Console.WriteLine($"next, on each of {string.Join(" and ", definition.Replicas.Select(r => r.Node))}: 'tandem volume create-md {volume}' and 'tandem volume up {volume}'; then on one of them: 'tandem volume primary --force {volume}' (initial sync)");
            return 0;
        });
        return command;
    }

    /// <summary>NODE=ADDRESS[:PORT] items, from repeated options or comma-separated lists.</summary>
    public static IReadOnlyList<(string Node, string Address)> ParseNodes(IEnumerable<string> values)
    {
        var result = new List<(string, string)>();
        foreach (var item in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1)
            {
                throw new CliException($"--node '{item}': expected NODE=ADDRESS[:PORT], e.g. astapor=10.0.0.1:7789");
            }
            var node = item[..eq];
            var address = item[(eq + 1)..];
            var hasPort = address.StartsWith('[') ? address.Contains("]:", StringComparison.Ordinal) : address.Count(c => c == ':') == 1;
            if (!hasPort)
            {
                address = address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') ? $"[{address}]:{DefaultPort}" : $"{address}:{DefaultPort}";
            }
            result.Add((node, address));
        }
        return result;
    }

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
