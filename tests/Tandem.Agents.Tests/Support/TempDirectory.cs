namespace Tandem.Agents.Tests.Support;

/// <summary>A directory under /tmp removed at the end of the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "tandem-agents-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        // Agents may run as other users (the Zimbra tests); let them traverse to their files.
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes an executable script.</summary>
    public string Script(string relativePath, string text)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
