using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Tandem.Scheduler.Unpack;

namespace Tandem.Scheduler.Tests.Unpack;

/// <summary>
/// Fail-count attribute names are matched by hand (it is asked for every resource on every node); the
/// answer must be that of the regex Pacemaker uses, ^PREFIX-NAME(:[0-9]+)?#.+_[0-9]+$.
/// </summary>
public sealed class FailCountAttributeTests
{
    private static bool ByRegex(string key, string name, bool anyInstance, bool legacy)
    {
        var instance = anyInstance ? "(:[0-9]+)?" : "";
        var operation = legacy ? "" : "#.+_[0-9]+";
        // POSIX semantics: '.' matches any character, '$' only the very end.
        return Regex.IsMatch(key, $"^fail-count-{Regex.Escape(name)}{instance}{operation}\\z", RegexOptions.Singleline);
    }

    [Theory]
    [InlineData("fail-count-db#monitor_10000", "db", true, false, true)]
    [InlineData("fail-count-db:3#start_0", "db", true, false, true)]
    [InlineData("fail-count-db:3#start_0", "db", false, false, false)]
    [InlineData("fail-count-db:#start_0", "db", true, false, false)]
    [InlineData("fail-count-db#_0", "db", true, false, false)]
    [InlineData("fail-count-db#a_b_12", "db", true, false, true)]
    [InlineData("fail-count-db#monitor_", "db", true, false, false)]
    [InlineData("fail-count-db2#start_0", "db", true, false, false)]
    [InlineData("fail-count-db", "db", true, true, true)]
    [InlineData("fail-count-db:12", "db", true, true, true)]
    [InlineData("fail-count-db:12", "db", false, true, false)]
    [InlineData("fail-count-db#start_0", "db", true, true, false)]
    [InlineData("last-failure-db#start_0", "db", true, false, false)]
    public void MatchesPacemakersPattern(string key, string name, bool anyInstance, bool legacy, bool expected)
    {
        Assert.Equal(expected, FailCounts.IsFailureAttribute(key, FailCounts.FailCountPrefix, name, anyInstance, legacy));
        Assert.Equal(expected, ByRegex(key, name, anyInstance, legacy));
    }

    [Fact]
    public void AgreesWithTheRegexOnRandomNames()
    {
        // Keys built from the pieces that matter (separators, digits, the name) so that near misses are common.
        var piece = Gen.Elements("db", "d", "b", ":", "#", "_", "0", "12", "x", ".", "-", "\n");
        var key = Gen.ListOf(piece).Select(parts => "fail-count-" + string.Concat(parts));
        var cases = key.SelectMany(k => Gen.Elements("db", "d.b", "d").SelectMany(n => ArbMap.Default.GeneratorFor<bool>()
            .SelectMany(a => ArbMap.Default.GeneratorFor<bool>().Select(l => (Key: k, Name: n, Any: a, Legacy: l)))));
        Prop.ForAll(Arb.From(cases), c =>
            (FailCounts.IsFailureAttribute(c.Key, FailCounts.FailCountPrefix, c.Name, c.Any, c.Legacy) == ByRegex(c.Key, c.Name, c.Any, c.Legacy))
                .Label($"{c.Key.ReplaceLineEndings("\\n")} name {c.Name} any {c.Any} legacy {c.Legacy}"))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5000));
    }
}
