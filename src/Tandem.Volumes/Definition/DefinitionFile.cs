using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tandem.Volumes.Definition;

/// <summary>
/// Reads and writes volume definition files (JSON with DRBD's option names). Every problem is reported
/// as one line naming the file and the field, e.g. <c>optzimbra.json: replicas[1].address: no port</c>.
/// </summary>
public static partial class DefinitionFile
{
    public const string DefaultDirectory = "/etc/tandem/volumes";
    public const string Extension = ".json";
    private const int MinSecretLength = 16;

    private static readonly string[] KnownTop =
    [
        "name", "size", "protocol", "resync-rate", "secret", "al-extents", "after-sb-0pri", "after-sb-1pri",
        "after-sb-2pri", "fencing", "fence-peer", "ping-interval", "timeout", "replicas",
    ];

    private static readonly string[] KnownReplica = ["node", "address", "disk", "meta-disk"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex NamePattern();

    public static string PathOf(string directory, string name) => Path.Combine(directory, name + Extension);

    public static VolumeDefinition Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VolumeDefinitionException($"{path}: cannot read: {e.Message}");
        }
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>Parses and validates a definition; <paramref name="source"/> names it in errors.</summary>
    public static VolumeDefinition Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new VolumeDefinitionException($"{source}: line {(e.LineNumber ?? 0) + 1}: not valid JSON: {FirstSentence(e.Message)}");
        }
        using (doc)
        {
            return new Reader(source).Volume(doc.RootElement);
        }
    }

    /// <summary>The canonical text of a definition: what <c>tandem volume create</c> writes on every node.</summary>
    public static string Format(VolumeDefinition d)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("size", SizeText(d.SizeBytes));
            w.WriteString("protocol", d.Protocol.ToString());
            w.WriteString("resync-rate", SizeText(d.ResyncRateBytesPerSecond));
            w.WriteString("secret", d.Secret);
            w.WriteNumber("al-extents", d.AlExtents);
            w.WriteString("after-sb-0pri", PolicyName(d.AfterSb0Pri));
            w.WriteString("after-sb-1pri", PolicyName(d.AfterSb1Pri));
            w.WriteString("after-sb-2pri", PolicyName(d.AfterSb2Pri));
            w.WriteString("fencing", FencingName(d.Fencing));
            if (d.FencePeerHandler is not null)
            {
                w.WriteString("fence-peer", d.FencePeerHandler);
            }
            w.WriteString("ping-interval", $"{d.PingIntervalMs}ms");
            w.WriteString("timeout", $"{d.TimeoutMs}ms");
            w.WriteStartArray("replicas");
            foreach (var r in d.Replicas)
            {
                w.WriteStartObject();
                w.WriteString("node", r.Node);
                w.WriteString("address", r.Address);
                w.WriteString("disk", r.Disk);
                w.WriteString("meta-disk", r.MetaDisk);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the file atomically (temporary file, fsync, rename), readable by root only: it holds the secret.</summary>
    public static void Save(string directory, VolumeDefinition d)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(directory, d.Name);
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            f.Write(Encoding.UTF8.GetBytes(Format(d)));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static string PolicyName(SplitBrainPolicy p) => p switch
    {
        SplitBrainPolicy.Disconnect => "disconnect",
        SplitBrainPolicy.DiscardZeroChanges => "discard-zero-changes",
        SplitBrainPolicy.DiscardLeastChanges => "discard-least-changes",
        SplitBrainPolicy.DiscardSecondary => "discard-secondary",
        SplitBrainPolicy.Consensus => "consensus",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static string FencingName(FencingPolicy p) => p switch
    {
        FencingPolicy.DontCare => "dont-care",
        FencingPolicy.ResourceOnly => "resource-only",
        FencingPolicy.ResourceAndStonith => "resource-and-stonith",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    private static string SizeText(long bytes)
    {
        foreach (var (shift, unit) in new[] { (40, "T"), (30, "G"), (20, "M"), (10, "K") })
        {
            if (bytes % (1L << shift) == 0)
            {
                return $"{bytes >> shift}{unit}";
            }
        }
        return bytes.ToString();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static string Suggest(string unknown, string[] known)
    {
        var best = known.OrderBy(k => Distance(k, unknown)).First();
        return Distance(best, unknown) <= 2 ? $" (did you mean '{best}'?)" : $" (known: {string.Join(", ", known)})";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }

    private sealed class Reader(string source)
    {
        private VolumeDefinitionException Error(string field, string problem) => new($"{source}: {field}: {problem}");

        public VolumeDefinition Volume(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new VolumeDefinitionException($"{source}: expected a JSON object with the volume's fields");
            }
            foreach (var p in root.EnumerateObject())
            {
                if (!KnownTop.Contains(p.Name))
                {
                    throw Error(p.Name, "unknown field" + Suggest(p.Name, KnownTop));
                }
            }
            var name = String(root, "name", required: true)!;
            if (!NamePattern().IsMatch(name))
            {
                throw Error("name", $"'{name}' is not a valid volume name (letters, digits, '.', '_', '-'; at most 63)");
            }
            var sizeText = String(root, "size", required: true)!;
            if (!ByteSize.TryParse(sizeText, out var size) || size <= 0)
            {
                throw Error("size", $"'{sizeText}' is not a size (e.g. 1G, 512M)");
            }
            if (size % 4096 != 0)
            {
                throw Error("size", $"{size} bytes is not a multiple of 4 KiB");
            }
            var protocolText = String(root, "protocol") ?? "C";
            var protocol = protocolText.ToUpperInvariant() switch
            {
                "C" => ReplicationProtocol.C,
                "A" => ReplicationProtocol.A,
                _ => throw Error("protocol", $"'{protocolText}' is not a protocol (C: synchronous, A: asynchronous)"),
            };
            long rate = 100L << 20;
            if (String(root, "resync-rate") is { } rateText && (!ByteSize.TryParse(rateText, out rate) || rate < 4096))
            {
                throw Error("resync-rate", $"'{rateText}' is not a rate of at least 4K per second (e.g. 100M)");
            }
            var secret = String(root, "secret", required: true)!;
            if (secret.Length < MinSecretLength)
            {
                throw Error("secret", $"too short ({secret.Length} characters); use at least {MinSecretLength}, e.g. the output of 'openssl rand -base64 24'");
            }
            var al = VolumeDefinition.DefaultAlExtents;
            if (root.TryGetProperty("al-extents", out var alElement))
            {
                if (alElement.ValueKind != JsonValueKind.Number || !alElement.TryGetInt32(out al) || al < 7 || al > Metadata.ActivityLogRecord.MaxExtents)
                {
                    throw Error("al-extents", $"expected a whole number from 7 to {Metadata.ActivityLogRecord.MaxExtents}");
                }
            }
            var sb0 = Policy(root, "after-sb-0pri", SplitBrainPolicy.Disconnect, SplitBrainPolicy.DiscardZeroChanges, SplitBrainPolicy.DiscardLeastChanges);
            var sb1 = Policy(root, "after-sb-1pri", SplitBrainPolicy.Disconnect, SplitBrainPolicy.DiscardSecondary, SplitBrainPolicy.Consensus);
            var sb2 = Policy(root, "after-sb-2pri", SplitBrainPolicy.Disconnect);
            var fencingText = String(root, "fencing") ?? "dont-care";
            var fencing = fencingText switch
            {
                "dont-care" => FencingPolicy.DontCare,
                "resource-only" => FencingPolicy.ResourceOnly,
                "resource-and-stonith" => FencingPolicy.ResourceAndStonith,
                _ => throw Error("fencing", $"'{fencingText}' is not a fencing policy (dont-care, resource-only, resource-and-stonith)"),
            };
            var fencePeer = String(root, "fence-peer");
            if (fencing != FencingPolicy.DontCare && string.IsNullOrWhiteSpace(fencePeer))
            {
                throw Error("fence-peer", $"fencing '{fencingText}' needs a fence-peer command");
            }
            var ping = Duration(root, "ping-interval", 1000);
            var timeout = Duration(root, "timeout", 5000);
            if (timeout <= ping)
            {
                throw Error("timeout", $"{timeout}ms must be longer than ping-interval ({ping}ms)");
            }
            if (!root.TryGetProperty("replicas", out var replicasElement) || replicasElement.ValueKind != JsonValueKind.Array)
            {
                throw Error("replicas", "missing: a list of the two replicas ({\"node\", \"address\", \"disk\", \"meta-disk\"})");
            }
            var replicas = replicasElement.EnumerateArray().Select((r, i) => Replica(r, $"replicas[{i}]")).ToList();
            if (replicas.Count != 2)
            {
                throw Error("replicas", $"exactly 2 replicas are supported (found {replicas.Count})");
            }
            if (replicas[0].Node == replicas[1].Node)
            {
                throw Error("replicas[1].node", $"'{replicas[1].Node}' is already replicas[0]");
            }
            return new VolumeDefinition
            {
                Name = name, SizeBytes = size, Protocol = protocol, ResyncRateBytesPerSecond = rate, Secret = secret,
                AlExtents = al, AfterSb0Pri = sb0, AfterSb1Pri = sb1, AfterSb2Pri = sb2, Fencing = fencing,
                FencePeerHandler = fencePeer, PingIntervalMs = ping, TimeoutMs = timeout, Replicas = replicas,
            };
        }

        private ReplicaDefinition Replica(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "expected an object {\"node\", \"address\", \"disk\", \"meta-disk\"}");
            }
            foreach (var p in e.EnumerateObject())
            {
                if (!KnownReplica.Contains(p.Name))
                {
                    throw Error($"{path}.{p.Name}", "unknown field" + Suggest(p.Name, KnownReplica));
                }
            }
            var node = String(e, "node", required: true, path)!;
            var address = String(e, "address", required: true, path)!;
            var colon = address.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
            {
                throw Error($"{path}.address", $"'{address}' needs a port (HOST:PORT, e.g. 10.0.0.1:7788)");
            }
            var host = address[..colon].Trim('[', ']');
            if (!IPAddress.TryParse(host, out _))
            {
                throw Error($"{path}.address", $"'{host}' is not an IP address");
            }
            var disk = String(e, "disk", required: true, path)!;
            if (!Path.IsPathRooted(disk))
            {
                throw Error($"{path}.disk", $"'{disk}' must be an absolute path (a block device or a file)");
            }
            var meta = String(e, "meta-disk", path: path) ?? "internal";
            if (meta != "internal" && !Path.IsPathRooted(meta))
            {
                throw Error($"{path}.meta-disk", $"'{meta}' must be 'internal' or an absolute path");
            }
            return new ReplicaDefinition(node, host, port, disk, meta);
        }

        private string? String(JsonElement e, string field, bool required = false, string? path = null)
        {
            var full = path is null ? field : $"{path}.{field}";
            if (!e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                return required ? throw Error(full, "missing") : null;
            }
            if (v.ValueKind == JsonValueKind.Number && field is "size" or "resync-rate" or "ping-interval" or "timeout")
            {
                return v.GetRawText();
            }
            if (v.ValueKind != JsonValueKind.String)
            {
                throw Error(full, $"expected a string, found {v.ValueKind.ToString().ToLowerInvariant()}");
            }
            var s = v.GetString()!;
            return s.Length == 0 && required ? throw Error(full, "empty") : s;
        }

        private SplitBrainPolicy Policy(JsonElement root, string field, params SplitBrainPolicy[] allowed)
        {
            var text = String(root, field);
            if (text is null)
            {
                return SplitBrainPolicy.Disconnect;
            }
            var match = allowed.Where(p => PolicyName(p) == text).ToList();
            return match.Count == 1
                ? match[0]
                : throw Error(field, $"'{text}' is not supported here (supported: {string.Join(", ", allowed.Select(PolicyName))})");
        }

        private int Duration(JsonElement root, string field, int defaultMs)
        {
            var text = String(root, field);
            if (text is null)
            {
                return defaultMs;
            }
            var t = text.Trim();
            double factor = 1000;
            if (t.EndsWith("ms", StringComparison.Ordinal))
            {
                factor = 1;
                t = t[..^2];
            }
            else if (t.EndsWith('s'))
            {
                t = t[..^1];
            }
            return double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v * factor is >= 50 and <= 600_000
                ? (int)(v * factor)
                : throw Error(field, $"'{text}' is not a duration from 50ms to 600s (e.g. 500ms, 5s)");
        }
    }
}
