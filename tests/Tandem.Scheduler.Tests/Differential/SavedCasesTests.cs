using System.Globalization;
using System.Xml.Linq;

namespace Tandem.Scheduler.Tests.Differential;

/// <summary>
/// Configurations on which Tandem once disagreed with crm_simulate, kept with crm_simulate's output:
/// the number that now agree may not fall below the recorded count (raise it as they are fixed).
/// </summary>
public sealed class SavedCasesTests
{
    [Fact]
    public void SavedDisagreementsDoNotRegress()
    {
        var cases = Directory.Exists(DifferentialTests.CasesDirectory)
            ? Directory.EnumerateFiles(DifferentialTests.CasesDirectory, "*.xml").Order(StringComparer.Ordinal).ToList()
            : [];
        var agreeing = 0;
        foreach (var file in cases)
        {
            var expected = File.ReadAllText(Path.ChangeExtension(file, ".expected"));
            if (DifferentialRunner.Compare(XElement.Load(file), expected) is null)
            {
                agreeing++;
            }
        }
        var ratchet = Path.Combine(DifferentialTests.CasesDirectory, "agreeing.txt");
        var minimum = File.Exists(ratchet) ? int.Parse(File.ReadAllText(ratchet).Trim(), CultureInfo.InvariantCulture) : 0;
        Assert.True(agreeing >= minimum, $"{agreeing} saved cases agree, fewer than the recorded {minimum}");
    }
}
