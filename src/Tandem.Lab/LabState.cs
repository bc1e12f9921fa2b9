using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Corosync;

namespace Tandem.Lab;

/// <summary>A machine of the lab (node or arbiter) and the holder process that is its pid 1.</summary>
public sealed class LabMachine
{
    public required string Name { get; init; }
    public required int Index { get; init; }
    public required string Address { get; init; }
    public uint NodeId { get; init; }
    public ProcessIdentity? Holder { get; set; }
    public bool Powered { get; set; }
    public bool Cut { get; set; }
}

/// <summary>What a lab is made of, persisted in its directory so every `tandem lab` command finds it.</summary>
public sealed class LabState
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string Name { get; init; }
    public required QuorumMode Quorum { get; init; }
    public int? TokenMs { get; init; }

    /// <summary>Machines without cluster configuration or services (see <see cref="LabOptions.Bare"/>).</summary>
    public bool Bare { get; init; }

    /// <summary>The scenario the lab was built for (see <see cref="LabOptions.Scenario"/>).</summary>
    public string? Scenario { get; init; }

    /// <summary>The private directories every node of this lab's scenario binds in addition to the lab's own.</summary>
    public IReadOnlyList<(string MountPoint, string Dir)> ScenarioDirs() =>
        Scenario == MailScenario.Name ? MailScenario.PrivateDirs : [];
    public required string TandemPath { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public List<LabMachine> Nodes { get; init; } = [];
    public LabMachine? Arbiter { get; set; }

    /// <summary>The lab's power switch process (tandem lab power-switch), which fence_tandemlab talks to.</summary>
    public ProcessIdentity? PowerSwitch { get; set; }

    public LabMachine Node(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new LabException($"lab '{Name}' has no node '{name}' (nodes: {string.Join(", ", Nodes.Select(n => n.Name))})");

    public void Save(LabLayout layout)
    {
        var temp = layout.StateFile + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temp, layout.StateFile, overwrite: true);
    }

    public static LabState? TryLoad(LabLayout layout)
    {
        if (!File.Exists(layout.StateFile))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<LabState>(File.ReadAllText(layout.StateFile), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new LabException($"lab state {layout.StateFile} is unreadable ({e.Message}); remove the lab with 'tandem lab down --name {layout.Name}'");
        }
    }

    public static LabState Load(LabLayout layout) =>
        TryLoad(layout) ?? throw new LabException($"no lab named '{layout.Name}' (see 'tandem lab list')");
}
