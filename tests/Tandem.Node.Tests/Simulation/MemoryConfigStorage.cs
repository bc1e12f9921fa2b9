using Tandem.Model.Json;
using Tandem.Node.Configuration;

namespace Tandem.Node.Tests.Simulation;

/// <summary>A node's disk for its configuration: survives the node's crashes in a simulation.</summary>
public sealed class MemoryConfigStorage : IConfigStorage
{
    public ConfigDocument? Document { get; private set; }

    public int Saves { get; private set; }

    public ConfigDocument? Load() => Document;

    public void Save(ConfigDocument document)
    {
        Document = document;
        Saves++;
    }
}
