using System.Text;
using Tandem.Model.Json;
using Tandem.Node.Storage;

namespace Tandem.Node.Configuration;

/// <summary>The configuration in /var/lib/tandem/config.json, in the model's JSON face (which carries its format version).</summary>
public sealed class FileConfigStorage(string path) : IConfigStorage
{
    public const string DefaultPath = "/var/lib/tandem/config.json";

    public string Path { get; } = path;

    /// <exception cref="ConfigJsonException">The file exists but is not a readable configuration (the message names the position).</exception>
    public ConfigDocument? Load() =>
        File.Exists(Path) ? ConfigJson.Deserialize(File.ReadAllText(Path)) : null;

    public void Save(ConfigDocument document) =>
        AtomicFile.Write(Path, Encoding.UTF8.GetBytes(ConfigJson.Serialize(document.Configuration, document.Version)));

    /// <summary>Moves an unreadable file aside (never deletes it) and returns where it went.</summary>
    public string Quarantine(DateTimeOffset now)
    {
        var aside = $"{Path}.unreadable-{now:yyyyMMddTHHmmssZ}";
        File.Move(Path, aside);
        return aside;
    }
}
