using FsCheck;
using FsCheck.Fluent;
using Tandem.Model.Durations;

namespace Tandem.Model.Tests.Durations;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2min", 120_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1hr", 3_600_000)]
    [InlineData("500ms", 500)]
    [InlineData("500msec", 500)]
    [InlineData("360", 360_000)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("10 s", 10_000)]
    [InlineData("  20s ", 20_000)]
    [InlineData("30SEC", 30_000)]
    [InlineData("2000us", 2)]
    [InlineData("PT30S", 30_000)]
    [InlineData("PT1M", 60_000)]
    [InlineData("P1M", 30L * 24 * 3600 * 1000)]
    [InlineData("P1D", 24 * 3600 * 1000)]
    [InlineData("P1W", 7L * 24 * 3600 * 1000)]
    [InlineData("P1DT2H", 26 * 3600 * 1000)]
    [InlineData("P10S", 10_000)]
    [InlineData("PT1H30M", 5_400_000)]
    public void Parses_Pacemaker_spellings(string text, long expectedMs) => Assert.Equal(expectedMs, Duration.Parse(text).Milliseconds);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("30x")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P5")]
    [InlineData("P1X")]
    [InlineData("s")]
    [InlineData("10 seconds")]
    public void Rejects_garbage_naming_the_value(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.Contains(text.Length == 0 ? "empty duration" : $"'{text}'", error, StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => Duration.Parse(text));
        Assert.Equal(error, e.Message);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "90s")]
    [InlineData(120_000, "2min")]
    [InlineData(3_600_000, "1h")]
    [InlineData(1_500, "1500ms")]
    public void Prints_the_largest_exact_unit(long ms, string expected) => Assert.Equal(expected, new Duration(ms).ToString());

    [Fact]
    public void Print_then_parse_is_the_identity() =>
        Prop.ForAll(Arb.From(Gen.OneOf(
                Gen.Choose(0, int.MaxValue).Select(v => (long)v),
                Gen.Choose(0, 100_000).Select(v => v * 1000L),
                Gen.Choose(0, 10_000).Select(v => v * 60_000L),
                Gen.Choose(0, 1000).Select(v => v * 3_600_000L))),
            ms => Duration.Parse(new Duration(ms).ToString()).Milliseconds == ms)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Parse_then_print_is_canonical() =>
        Prop.ForAll(Arb.From(Gen.Zip(Gen.Choose(0, 100_000), Gen.Elements("", "s", "ms", "min", "h", "m", "sec"))),
            t =>
            {
                var text = $"{t.Item1}{t.Item2}";
                var once = Duration.Parse(text).ToString();
                return Duration.Parse(once).ToString() == once;
            })
            .QuickCheckThrowOnFailure();
}
