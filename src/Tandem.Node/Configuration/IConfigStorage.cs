using Tandem.Model.Json;

namespace Tandem.Node.Configuration;

/// <summary>Where a node keeps its copy of the configuration between restarts.</summary>
public interface IConfigStorage
{
    /// <summary>The stored document, or null when there is none (a new node).</summary>
    ConfigDocument? Load();

    /// <summary>Replaces the stored document atomically: after a crash either the old or the new one is there, whole.</summary>
    void Save(ConfigDocument document);
}
