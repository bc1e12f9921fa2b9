using Tandem.Model;

namespace Tandem.Cli.Configuration;

/// <summary>A configuration file in any face (text, JSON or CIB XML), recognised by its content.</summary>
public sealed class FileConfigSource(string path) : IConfigSource
{
    public string Name => path;

    public async Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken)
    {
        string content;
        try
        {
            content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
        return Read(path, content);
    }

    /// <exception cref="CliException">The content is not a configuration; the message names the source and the position.</exception>
    public static LoadedConfiguration Read(string name, string content)
    {
        try
        {
            return ConfigFaces.Read(content);
        }
        catch (FormatException e)
        {
            throw new CliException($"{name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
