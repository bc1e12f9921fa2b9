namespace Tandem.Model.Tests;

/// <summary>Pacemaker's scheduler regression inputs, read from ../shared at the repository root (never copied).</summary>
internal static class Corpus
{
    public static string Directory { get; } = Locate();

    public static string XmlDirectory => Path.Combine(Directory, "xml");

    public static IEnumerable<string> AllFiles => System.IO.Directory.EnumerateFiles(XmlDirectory, "*.xml").Order(StringComparer.Ordinal);

    public static IReadOnlyList<string> CoreSubset =>
        [.. File.ReadAllLines(Path.Combine(Directory, "core-subset.txt")).Select(l => l.Trim()).Where(l => l.Length > 0)];

    public static string PathOf(string name) => Path.Combine(XmlDirectory, name + ".xml");

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tandem.slnx")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "pacemaker-scheduler-tests");
            }
        }
        throw new InvalidOperationException("repository root (Tandem.slnx) not found above " + AppContext.BaseDirectory);
    }
}
