using System.Globalization;
using System.Text.Json.Serialization;
using Tandem.Model.Json;

namespace Tandem.Model.Scores;

/// <summary>
/// A Pacemaker score: an integer bounded to ±<see cref="InfinityValue"/> (1,000,000), where the bounds
/// mean "always" and "never". Arithmetic saturates, and -INFINITY wins over +INFINITY because a ban
/// must never be overridden by a preference (Pacemaker's pcmk__add_scores).
/// </summary>
[JsonConverter(typeof(ScoreJsonConverter))]
public readonly record struct Score : IComparable<Score>
{
    public const int InfinityValue = 1_000_000;

    public static readonly Score Zero = new(0);
    public static readonly Score Infinity = new(InfinityValue);
    public static readonly Score MinusInfinity = new(-InfinityValue);

    /// <summary>The value, always within [-1,000,000, +1,000,000].</summary>
    public int Value { get; }

    /// <summary>Creates a score, clamping the value to ±INFINITY.</summary>
    public Score(long value) => Value = (int)Math.Clamp(value, -InfinityValue, InfinityValue);

    public bool IsInfinity => Value == InfinityValue;

    public bool IsMinusInfinity => Value == -InfinityValue;

    public bool IsInfinite => IsInfinity || IsMinusInfinity;

    public static Score operator +(Score a, Score b)
    {
        if (a.IsMinusInfinity || b.IsMinusInfinity)
        {
            return MinusInfinity;
        }
        if (a.IsInfinity || b.IsInfinity)
        {
            return Infinity;
        }
        return new Score((long)a.Value + b.Value);
    }

    /// <summary>Negation maps +INFINITY to -INFINITY and back (used for anti-colocation and bans).</summary>
    public static Score operator -(Score a) => new(-a.Value);

    public static bool operator <(Score a, Score b) => a.Value < b.Value;

    public static bool operator >(Score a, Score b) => a.Value > b.Value;

    public static bool operator <=(Score a, Score b) => a.Value <= b.Value;

    public static bool operator >=(Score a, Score b) => a.Value >= b.Value;

    public int CompareTo(Score other) => Value.CompareTo(other.Value);

    public static implicit operator Score(int value) => new(value);

    /// <summary>
    /// Parses a score: INFINITY, +INFINITY, -INFINITY, inf, +inf, -inf (any case), or an integer
    /// (clamped to ±INFINITY). Anything else is rejected with a message naming the value.
    /// </summary>
    public static bool TryParse(string? text, out Score score, out string error)
    {
        score = Zero;
        error = "";
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "empty score (expected an integer, INFINITY or -INFINITY)";
            return false;
        }
        var sign = 1;
        var body = trimmed;
        if (body[0] is '+' or '-')
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }
        if (body.Equals("INFINITY", StringComparison.OrdinalIgnoreCase) || body.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            score = sign > 0 ? Infinity : MinusInfinity;
            return true;
        }
        if (body.Length > 0 && body.All(char.IsAsciiDigit))
        {
            // More digits than a long holds is still just "beyond infinity".
            score = body.Length > 18
                ? (sign > 0 ? Infinity : MinusInfinity)
                : new Score(sign * long.Parse(body, CultureInfo.InvariantCulture));
            return true;
        }
        error = $"invalid score '{text}' (expected an integer, INFINITY or -INFINITY)";
        return false;
    }

    public static Score Parse(string? text) =>
        TryParse(text, out var score, out var error) ? score : throw new FormatException(error);

    /// <summary>Pacemaker's spelling: INFINITY, -INFINITY or the integer.</summary>
    public override string ToString() => IsInfinity ? "INFINITY" : IsMinusInfinity ? "-INFINITY" : Value.ToString(CultureInfo.InvariantCulture);
}
