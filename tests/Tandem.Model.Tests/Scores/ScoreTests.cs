using FsCheck;
using FsCheck.Fluent;
using Tandem.Model.Scores;

namespace Tandem.Model.Tests.Scores;

public sealed class ScoreTests
{
    // Scores near and at the bounds are where the algebra is interesting; plain ints rarely get there.
    private static readonly Arbitrary<Score> Scores = Arb.From(Gen.OneOf(
        Gen.Elements(Score.Infinity, Score.MinusInfinity, Score.Zero, new Score(999_999), new Score(-999_999), new Score(500_000)),
        Gen.Choose(-1_000_000, 1_000_000).Select(v => new Score(v)),
        Gen.Choose(-1000, 1000).Select(v => new Score(v))));

    [Theory]
    [InlineData("INFINITY", 1_000_000)]
    [InlineData("+INFINITY", 1_000_000)]
    [InlineData("-INFINITY", -1_000_000)]
    [InlineData("inf", 1_000_000)]
    [InlineData("+inf", 1_000_000)]
    [InlineData("-inf", -1_000_000)]
    [InlineData("Infinity", 1_000_000)]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    [InlineData("+100", 100)]
    [InlineData("-10000", -10_000)]
    [InlineData("5000000", 1_000_000)]
    [InlineData("-99999999999999999999999", -1_000_000)]
    [InlineData(" 42 ", 42)]
    public void Parses_Pacemaker_spellings(string text, int expected) => Assert.Equal(expected, Score.Parse(text).Value);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("10.5")]
    [InlineData("1e6")]
    [InlineData("--5")]
    [InlineData("INFINITYX")]
    public void Rejects_garbage_naming_the_value(string text)
    {
        Assert.False(Score.TryParse(text, out _, out var error));
        Assert.Contains(text.Length == 0 ? "empty score" : $"'{text}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prints_infinities_by_name() =>
        Assert.Equal(["INFINITY", "-INFINITY", "-5", "0"], new[] { Score.Infinity, Score.MinusInfinity, new Score(-5), Score.Zero }.Select(s => s.ToString()));

    [Fact]
    public void Minus_infinity_beats_infinity() => Assert.Equal(Score.MinusInfinity, Score.Infinity + Score.MinusInfinity);

    [Fact]
    public void Finite_sums_saturate_at_the_bounds()
    {
        Assert.Equal(Score.Infinity, new Score(600_000) + new Score(400_000));
        Assert.Equal(Score.MinusInfinity, new Score(-600_000) + new Score(-700_000));
        Assert.Equal(new Score(999_999), new Score(600_000) + new Score(399_999));
    }

    [Fact]
    public void Addition_is_commutative() =>
        Prop.ForAll(Scores, Scores, (a, b) => a + b == b + a).QuickCheckThrowOnFailure();

    [Fact]
    public void Sums_stay_within_the_bounds() =>
        Prop.ForAll(Scores, Scores, (a, b) => (a + b).Value is >= -1_000_000 and <= 1_000_000).QuickCheckThrowOnFailure();

    [Fact]
    public void Minus_infinity_absorbs_everything() =>
        Prop.ForAll(Scores, a => a + Score.MinusInfinity == Score.MinusInfinity).QuickCheckThrowOnFailure();

    [Fact]
    public void Infinity_absorbs_everything_but_minus_infinity() =>
        Prop.ForAll(Scores, a => a.IsMinusInfinity ? a + Score.Infinity == Score.MinusInfinity : a + Score.Infinity == Score.Infinity)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Zero_is_neutral() =>
        Prop.ForAll(Scores, a => a + Score.Zero == a).QuickCheckThrowOnFailure();

    [Fact]
    public void Finite_sums_are_exact_below_the_bounds() =>
        Prop.ForAll(Scores, Scores, (a, b) =>
            a.IsInfinite || b.IsInfinite || Math.Abs((long)a.Value + b.Value) >= 1_000_000 || (a + b).Value == a.Value + b.Value)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Addition_is_monotonic_for_finite_operands() =>
        Prop.ForAll(Scores, Scores, Scores, (a, b, c) =>
            a.IsInfinite || b.IsInfinite || c.IsInfinite || a > b || a + c <= b + c)
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Print_then_parse_is_the_identity() =>
        Prop.ForAll(Scores, a => Score.Parse(a.ToString()) == a).QuickCheckThrowOnFailure();

    [Fact]
    public void Negation_swaps_the_infinities()
    {
        Assert.Equal(Score.MinusInfinity, -Score.Infinity);
        Assert.Equal(Score.Infinity, -Score.MinusInfinity);
    }
}
