using System.Text;
using System.Text.RegularExpressions;
using Tandem.Node.Storage;

namespace Tandem.Node.Volumes;

/// <summary>This node's volume definition files (/etc/tandem/volumes/NAME.json), written crash-safely, root-only (they hold the secret).</summary>
public sealed partial class VolumeDefinitionFiles(string directory)
{
    public const string DefaultDirectory = "/etc/tandem/volumes";

    public string Directory => directory;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string volume) => NamePattern().IsMatch(volume);

    /// <summary>Writes the definition; null when written or already identical, else why not (one line).</summary>
    public string? Write(string volume, string document, bool replace)
    {
        if (!IsValidName(volume))
        {
            return $"'{volume}' is not a valid volume name";
        }
        var path = Path.Combine(directory, volume + ".json");
        try
        {
            if (File.Exists(path))
            {
                var existing = File.ReadAllText(path);
                if (existing == document)
                {
                    return null;
                }
                if (!replace)
                {
                    return $"{path} holds a different definition of '{volume}' (replace it with --force)";
                }
            }
            AtomicFile.Write(path, Encoding.UTF8.GetBytes(document));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {path}: {e.Message}";
        }
    }
}
