using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Tandem.Model.Cib;
using Tandem.Scheduler.Output;
using Tandem.Scheduler.Tests.Conformance;
using Xunit.Abstractions;

namespace Tandem.Scheduler.Tests.Runtime;

/// <summary>
/// `tandem status` lists failed actions and fail counts as crm_mon does: compared, file by file, with
/// Debian's crm_mon 2.1.5 reading the same CIBs of Pacemaker's regression suite.
/// </summary>
public sealed partial class RuntimeViewTests(ITestOutputHelper output)
{
    [Fact]
    public void Failed_actions_and_fail_counts_match_crm_mon_on_every_corpus_cib_with_failures()
    {
        var files = Directory.GetFiles(Path.Combine(Corpus.Directory, "xml"), "*.xml")
            .Where(f => FailureMarker().IsMatch(File.ReadAllText(f)))
            // Pacemaker Remote, guest and bundle nodes run no Tandem daemon: Tandem's clusters have none.
            .Where(f => !RemoteMarker().IsMatch(File.ReadAllText(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} corpus CIBs with failures found");
        var mismatches = new ConcurrentBag<string>();
        var compared = 0;
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = 2 }, file =>
        {
            var now = DateTimeOffset.UtcNow;
            var expected = CrmMon(file);
            if (expected is null)
            {
                return;
            }
            var cib = CibImport.Parse(File.ReadAllText(file));
            var report = RuntimeView.Build(ClusterSnapshot.FromCib(cib, now));
            var actual = (
                Migration: report.FailCounts.GroupBy(f => f.Node).SelectMany(g => new[] { $"  * Node: {g.Key}:" }.Concat(g.Select(e => "    * " + e.Description))).ToList(),
                Failed: report.FailedActions.Select(f => "  * " + f.Description).ToList());
            Interlocked.Increment(ref compared);
            if (!actual.Migration.SequenceEqual(expected.Value.Migration) || !actual.Failed.SequenceEqual(expected.Value.Failed))
            {
                mismatches.Add($"{Path.GetFileName(file)}:\n  crm_mon: {string.Join("\n           ", expected.Value.Migration.Concat(expected.Value.Failed))}\n  tandem:  {string.Join("\n           ", actual.Migration.Concat(actual.Failed))}");
            }
        });
        output.WriteLine($"{compared - mismatches.Count} of {compared} CIBs agree with crm_mon");
        foreach (var mismatch in mismatches.Order(StringComparer.Ordinal).Take(10))
        {
            output.WriteLine(mismatch);
        }
        Assert.True(compared > 100, $"crm_mon answered for only {compared} files");
        Assert.Empty(mismatches);
    }

    /// <summary>The "Migration Summary" and "Failed Resource Actions" sections of crm_mon -1 -f, or null when it fails.</summary>
    private static (List<string> Migration, List<string> Failed)? CrmMon(string file)
    {
        var start = new ProcessStartInfo("crm_mon", ["-1", "-f"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CIB_file"] = file;
        start.Environment["TZ"] = "UTC";
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            return null;
        }
        var lines = text.Split('\n');
        return (Section(lines, "Migration Summary:"), Section(lines, "Failed Resource Actions:"));
    }

    private static List<string> Section(string[] lines, string header)
    {
        var start = Array.IndexOf(lines, header);
        return start < 0 ? [] : [.. lines.Skip(start + 1).TakeWhile(l => l.Length > 0)];
    }

    [GeneratedRegex("<bundle|type=\"remote\"|name=\"remote-node\"")]
    private static partial Regex RemoteMarker();

    [GeneratedRegex("rc-code=\"[1-9]|fail-count")]
    private static partial Regex FailureMarker();
}
