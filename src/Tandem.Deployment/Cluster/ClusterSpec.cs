using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Corosync;

namespace Tandem.Deployment.Cluster;

/// <summary>A node of the cluster as planned by `tandem cluster setup`.</summary>
public sealed record ClusterNode(string Name, uint Id, string Address);

/// <summary>
/// The cluster's identity on every node, /etc/tandem/cluster.json: name, nodes with ids and addresses,
/// quorum mode, timing and the port of the daemons' network endpoint. It carries a format version: a file
/// of a newer format is refused (never misread), so a downgrade cannot silently lose it.
/// </summary>
public sealed record ClusterSpec
{
    public const string FormatName = "tandem-cluster";
    public const int CurrentFormatVersion = 1;

    /// <summary>The daemons' TLS endpoint (join, node-to-node API).</summary>
    public const int DefaultEndpointPort = 7450;

    /// <summary>corosync's knet port (mcastport of link 0).</summary>
    public const int CorosyncPort = 5405;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Name { get; init; }
    public required IReadOnlyList<ClusterNode> Nodes { get; init; }
    public required QuorumMode Quorum { get; init; }
    public string? QDeviceHost { get; init; }
    public int TokenMs { get; init; } = CorosyncConfig.LanProfileTokenMs;
    public int EndpointPort { get; init; } = DefaultEndpointPort;

    /// <summary>The node that holds the cluster's certificate authority and admits the others.</summary>
    public required string FirstNode { get; init; }

    public ClusterNode Node(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new DeploymentException($"'{name}' is not a node of cluster {Name} (nodes: {string.Join(", ", Nodes.Select(n => n.Name))})");

    public CorosyncConfig ToCorosync() =>
        new(Name, [.. Nodes.Select(n => new CorosyncNode(n.Id, n.Name, n.Address))], Quorum)
        {
            TokenMs = TokenMs,
            QDeviceHost = QDeviceHost,
        };

    public IReadOnlyDictionary<string, IPAddress> AddressesByName() =>
        Nodes.ToDictionary(n => n.Name, n => IPAddress.Parse(n.Address), StringComparer.Ordinal);

    public string Serialize() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <exception cref="DeploymentException">Not a cluster file, or one of another format version; the message says which.</exception>
    public static ClusterSpec Parse(string json, string source)
    {
        ClusterSpec spec;
        try
        {
            var header = JsonSerializer.Deserialize<Header>(json, HeaderJson) ?? throw new JsonException("empty document");
            if (header.Format != FormatName)
            {
                throw new DeploymentException($"{source}: not a Tandem cluster file (format '{header.Format}', expected '{FormatName}')");
            }
            if (header.FormatVersion != CurrentFormatVersion)
            {
                var found = header.FormatVersion?.ToString(CultureInfo.InvariantCulture) ?? "(none)";
                throw new DeploymentException(header.FormatVersion > CurrentFormatVersion
                    ? $"{source}: format version {found} was written by a newer Tandem (this one reads {CurrentFormatVersion}); upgrade Tandem on this node"
                    : $"{source}: unsupported format version {found} (this Tandem reads {CurrentFormatVersion})");
            }
            spec = JsonSerializer.Deserialize<ClusterSpec>(json, Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new DeploymentException($"{source}: unreadable ({e.Message})");
        }
        return spec;
    }

    public static ClusterSpec Load(ClusterPaths paths) =>
        File.Exists(paths.ClusterFile)
            ? Parse(File.ReadAllText(paths.ClusterFile), paths.ClusterFile)
            : throw new DeploymentException($"this node is not part of a cluster ({paths.ClusterFile} does not exist; see 'tandem cluster setup' and 'tandem cluster join')");

    public static ClusterSpec? TryLoad(ClusterPaths paths) => File.Exists(paths.ClusterFile) ? Load(paths) : null;

    private static readonly JsonSerializerOptions HeaderJson = new(JsonSerializerDefaults.Web);

    private sealed record Header(string? Format, int? FormatVersion);
}
