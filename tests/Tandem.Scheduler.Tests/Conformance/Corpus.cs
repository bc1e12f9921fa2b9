namespace Tandem.Scheduler.Tests.Conformance;

/// <summary>
/// Pacemaker's scheduler regression suite (inputs and expected outputs), read from ../shared at the
/// repository root, never copied into the repository.
/// </summary>
internal static class Corpus
{
    public static string RepositoryRoot { get; } = LocateRoot();

    public static string Directory { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "pacemaker-scheduler-tests"));

    /// <summary>Every test with its extra crm_simulate arguments, in tests.tsv order.</summary>
    public static IReadOnlyList<CorpusTest> Tests { get; } = ReadTests();

    public static IReadOnlyList<string> CoreSubset { get; } = ReadList("core-subset.txt");

    public static IReadOnlyList<string> CoreSubsetWithFencing { get; } = ReadList("core-subset-with-fencing.txt");

    public static string XmlPath(string name) => Path.Combine(Directory, "xml", name + ".xml");

    public static string SummaryPath(string name) => Path.Combine(Directory, "summary", name + ".summary");

    public static string ScoresPath(string name) => Path.Combine(Directory, "scores", name + ".scores");

    public static string GraphPath(string name) => Path.Combine(Directory, "exp", name + ".exp");

    private static string LocateRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tandem.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root (Tandem.slnx) not found above " + AppContext.BaseDirectory);
    }

    private static IReadOnlyList<string> ReadList(string file) =>
        [.. File.ReadAllLines(Path.Combine(Directory, file)).Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static IReadOnlyList<CorpusTest> ReadTests()
    {
        var tests = new List<CorpusTest>();
        foreach (var line in File.ReadAllLines(Path.Combine(Directory, "tests.tsv")))
        {
            var fields = line.Split('\t');
            if (fields[0].Length == 0)
            {
                continue;
            }
            var args = fields.Length > 2 ? ParseArgs(fields[2]) : [];
            tests.Add(new CorpusTest(fields[0], fields.Length > 1 ? fields[1] : "", args));
        }
        return tests;
    }

    // The extra arguments are written as a list of quoted strings: "-t", "2005-020T12:30".
    private static IReadOnlyList<string> ParseArgs(string text) =>
        [.. text.Split(',').Select(a => a.Trim().Trim('"')).Where(a => a.Length > 0)];
}
