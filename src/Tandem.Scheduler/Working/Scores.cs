using System.Globalization;

namespace Tandem.Scheduler.Working;

/// <summary>
/// Node weights as Pacemaker computes them: plain integers where ±1,000,000 mean always/never and
/// addition saturates with -INFINITY winning. Weights may transiently hold a value below -INFINITY
/// (a node marked unusable while merging colocations), which is why this is not the model's Score.
/// </summary>
internal static class Scores
{
    public const int Infinity = 1_000_000;

    /// <summary>Marks a node temporarily unusable while merging optional colocation scores.</summary>
    public const int InfinityHack = Infinity * -100;

    public static int Add(int a, int b)
    {
        if (a <= -Infinity || b <= -Infinity)
        {
            return -Infinity;
        }
        if (a >= Infinity || b >= Infinity)
        {
            return Infinity;
        }
        var sum = (long)a + b;
        return (int)Math.Clamp(sum, -Infinity, Infinity);
    }

    /// <summary>Parses like Pacemaker's char2score: INFINITY spellings, red/yellow/green, or a (clamped) integer.</summary>
    public static int Parse(string? text) => Parse(text, red: -Infinity, yellow: 0, green: 0);

    public static int Parse(string? text, int red, int yellow, int green)
    {
        if (text is null)
        {
            return 0;
        }
        if (IsMinusInfinity(text))
        {
            return -Infinity;
        }
        if (IsInfinity(text))
        {
            return Infinity;
        }
        if (text.Equals("red", StringComparison.OrdinalIgnoreCase))
        {
            return red;
        }
        if (text.Equals("yellow", StringComparison.OrdinalIgnoreCase))
        {
            return yellow;
        }
        if (text.Equals("green", StringComparison.OrdinalIgnoreCase))
        {
            return green;
        }
        var value = Model.Status.StatusXmlReader.ParseLong(text) ?? 0;
        return (int)Math.Clamp(value, -Infinity, Infinity);
    }

    // Pacemaker matches these spellings exactly (case matters; "inf" is just the number 0).
    private static bool IsInfinity(string text) => text is "INFINITY" or "+INFINITY";

    private static bool IsMinusInfinity(string text) => text == "-INFINITY";

    public static string ToText(int score) =>
        score >= Infinity ? "INFINITY" : score <= -Infinity ? "-INFINITY" : score.ToString(CultureInfo.InvariantCulture);
}
