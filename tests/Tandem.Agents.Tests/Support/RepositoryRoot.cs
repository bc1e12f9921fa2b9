namespace Tandem.Agents.Tests.Support;

/// <summary>The repository checkout the tests were built from (where Tandem.slnx is).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Tandem.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Tandem.slnx above {AppContext.BaseDirectory}");
    }
}
