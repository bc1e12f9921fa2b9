using System.Globalization;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Scheduler.Common;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Evaluates Pacemaker rules: node attribute comparisons (string, integer, number or version; typed by
/// the presence of a dot when not given), dates and date specs against the snapshot's "now",
/// resource-agent and operation matches, and the #role pseudo-attribute.
/// </summary>
internal static class RuleEvaluator
{
    public static bool Test(Rule rule, RuleContext context)
    {
        var doAnd = rule.BooleanOp != BooleanOperator.Or;
        foreach (var expression in rule.Expressions)
        {
            var result = Evaluate(expression, context);
            if (result && !doAnd)
            {
                return true;
            }
            if (!result && doAnd)
            {
                return false;
            }
        }
        return doAnd;
    }

    private static bool Evaluate(RuleExpression expression, RuleContext context) => expression switch
    {
        Rule nested => Test(nested, context),
        AttributeExpression { Attribute: "#role" } role => EvaluateRole(role, context),
        AttributeExpression attr => EvaluateAttribute(attr, context),
        DateExpression date => EvaluateDate(date, context.Now) is DateResult.Within or DateResult.Ok,
        ResourceExpression rsc => EvaluateResource(rsc, context),
        OperationExpression op => EvaluateOperation(op, context),
        _ => false,
    };

    private static bool EvaluateAttribute(AttributeExpression expr, RuleContext context)
    {
        var attribute = expr.Attribute;
        var value = expr.Value;
        if (context.HasMatchData)
        {
            if (context.Submatches is { } submatches)
            {
                attribute = ExpandSubmatches(attribute, submatches) ?? attribute;
            }
            value = ExpandValueSource(value, expr.ValueSource, context);
        }
        var nodeValue = context.NodeAttributes?.GetValueOrDefault(attribute);
        return Accept(nodeValue, value, expr.Type, expr.Operation);
    }

    private static string? ExpandValueSource(string? value, ValueSource source, RuleContext context)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var table = source switch
        {
            ValueSource.Param => context.Params,
            ValueSource.Meta => context.Meta,
            _ => null,
        };
        if (source == ValueSource.Literal)
        {
            return value;
        }
        return table?.GetValueOrDefault(value);
    }

    /// <summary>Replaces %0-%9 with regular-expression submatches (pe_expand_re_matches); null when unchanged.</summary>
    public static string? ExpandSubmatches(string text, IReadOnlyList<string> submatches)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                var index = text[i + 1] - '0';
                if (index < submatches.Count)
                {
                    result.Append(submatches[index]);
                }
                i++;
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }

    private static bool Accept(string? left, string? right, Model.Rules.ValueType? type, ComparisonOperator op)
    {
        switch (op)
        {
            case ComparisonOperator.Defined:
                return left is not null;
            case ComparisonOperator.NotDefined:
                return left is null;
        }
        var cmp = Compare(left, right, type, op);
        return op switch
        {
            ComparisonOperator.Eq => cmp == 0,
            ComparisonOperator.Ne => cmp != 0,
            _ when left is null || right is null => false,
            ComparisonOperator.Lt => cmp < 0,
            ComparisonOperator.Lte => cmp <= 0,
            ComparisonOperator.Gt => cmp > 0,
            ComparisonOperator.Gte => cmp >= 0,
            _ => false,
        };
    }

    private static int Compare(string? left, string? right, Model.Rules.ValueType? type, ComparisonOperator op)
    {
        if (left is null || right is null)
        {
            if (left is null && right is null)
            {
                return 0;
            }
            return right is null ? 1 : -1;
        }
        if (type is null)
        {
            if (op is ComparisonOperator.Lt or ComparisonOperator.Lte or ComparisonOperator.Gt or ComparisonOperator.Gte)
            {
                type = left.Contains('.', StringComparison.Ordinal) || right.Contains('.', StringComparison.Ordinal)
                    ? Model.Rules.ValueType.Number
                    : Model.Rules.ValueType.Integer;
            }
            else
            {
                type = Model.Rules.ValueType.String;
            }
        }
        switch (type)
        {
            case Model.Rules.ValueType.Integer:
                var l = Model.Status.StatusXmlReader.ParseLong(left);
                var r = Model.Status.StatusXmlReader.ParseLong(right);
                if (l is not null && r is not null)
                {
                    return l.Value.CompareTo(r.Value) switch { < 0 => -1, > 0 => 1, _ => 0 };
                }
                return Compare(left, right, Model.Rules.ValueType.String, op);
            case Model.Rules.ValueType.Number:
                var ld = ParseDouble(left);
                var rd = ParseDouble(right);
                if (ld is not null && rd is not null)
                {
                    return ld.Value < rd.Value ? -1 : ld.Value > rd.Value ? 1 : 0;
                }
                return Compare(left, right, Model.Rules.ValueType.String, op);
            case Model.Rules.ValueType.Version:
                return FailCounts.CompareVersion(left, right);
            default:
                return Math.Sign(string.Compare(left, right, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Parses the longest leading floating-point number, as strtod does; null when there is none.</summary>
    private static double? ParseDouble(string text)
    {
        var trimmed = text.TrimStart();
        for (var length = trimmed.Length; length > 0; length--)
        {
            if (double.TryParse(trimmed[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }

    private static bool EvaluateRole(AttributeExpression expr, RuleContext context)
    {
        var role = context.Role;
        if (role == Role.Unknown)
        {
            return false;
        }
        var target = expr.Value is not null && RoleNames.TryParse(expr.Value, out var parsed) ? parsed : Role.Unknown;
        return expr.Operation switch
        {
            ComparisonOperator.Defined => role > Role.Started,
            ComparisonOperator.NotDefined => role > Role.Unknown && role < Role.Unpromoted,
            ComparisonOperator.Eq => target == role,
            ComparisonOperator.Ne => !(role > Role.Unknown && role < Role.Unpromoted) && target != role,
            _ => false,
        };
    }

    private static bool EvaluateResource(ResourceExpression expr, RuleContext context)
    {
        if (!context.HasRscData)
        {
            return false;
        }
        if (expr.Class is not null && expr.Class != context.RscClass)
        {
            return false;
        }
        if (expr.Provider != context.RscProvider)
        {
            return false;
        }
        return expr.Type is null || expr.Type == context.RscType;
    }

    private static bool EvaluateOperation(OperationExpression expr, RuleContext context)
    {
        if (!context.HasOpData)
        {
            return false;
        }
        if (expr.Interval is { } interval && (uint)Math.Min(interval.Milliseconds, uint.MaxValue) != context.OpIntervalMs)
        {
            return false;
        }
        return expr.Name == context.OpName;
    }

    private enum DateResult
    {
        Undetermined,
        Within,
        Before,
        After,
        Ok,
    }

    private static DateResult EvaluateDate(DateExpression expr, long now)
    {
        var start = expr.Start is null ? null : IsoDateTime.ToEpochSeconds(expr.Start);
        var end = expr.End is null ? null : IsoDateTime.ToEpochSeconds(expr.End);
        if (start is not null && end is null && expr.Duration is { } duration)
        {
            end = AddDuration(start.Value, duration);
        }
        switch (expr.Operation)
        {
            case DateOperation.InRange:
                if (start is null && end is null)
                {
                    return DateResult.Undetermined;
                }
                if (start is not null && now < start)
                {
                    return DateResult.Before;
                }
                if (end is not null && now > end)
                {
                    return DateResult.After;
                }
                return DateResult.Within;
            case DateOperation.DateSpec:
                return expr.Spec is null ? DateResult.Ok : CronSatisfied(now, expr.Spec);
            case DateOperation.Gt:
                if (start is null)
                {
                    return DateResult.Undetermined;
                }
                return now > start ? DateResult.Within : DateResult.Before;
            case DateOperation.Lt:
                if (end is null)
                {
                    return DateResult.Undetermined;
                }
                return now < end ? DateResult.Within : DateResult.After;
        }
        return DateResult.Undetermined;
    }

    private static long AddDuration(long start, DateSpec duration)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(start);
        int Field(string? text) => (int)Math.Clamp(Model.Status.StatusXmlReader.ParseLong(text) ?? 0, int.MinValue, int.MaxValue);
        time = time.AddYears(Field(duration.Years));
        time = time.AddMonths(Field(duration.Months));
        time = time.AddDays(7 * Field(duration.Weeks));
        time = time.AddDays(Field(duration.Monthdays ?? duration.Yeardays));
        time = time.AddHours(Field(duration.Hours));
        time = time.AddMinutes(Field(duration.Minutes));
        time = time.AddSeconds(Field(duration.Seconds));
        return time.ToUnixTimeSeconds();
    }

    private static DateResult CronSatisfied(long now, DateSpec spec)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(now).UtcDateTime;
        var week = System.Globalization.ISOWeek.GetWeekOfYear(t);
        var weekYear = System.Globalization.ISOWeek.GetYear(t);
        var weekday = t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek;
        (string? Value, long Field)[] checks =
        [
            (spec.Years, t.Year),
            (spec.Months, t.Month),
            (spec.Monthdays, t.Day),
            (spec.Hours, t.Hour),
            (spec.Minutes, t.Minute),
            (spec.Seconds, t.Second),
            (spec.Yeardays, t.DayOfYear),
            (spec.Weekyears, weekYear),
            (spec.Weeks, week),
            (spec.Weekdays, weekday),
            (spec.Moon, PhaseOfTheMoon(t)),
        ];
        foreach (var (value, field) in checks)
        {
            var rc = CheckOne(value, field);
            if (rc is not (DateResult.Within or DateResult.Undetermined))
            {
                return rc;
            }
        }
        return DateResult.Ok;
    }

    private static int PhaseOfTheMoon(DateTime t)
    {
        var y = t.Year;
        var diy = t.DayOfYear;
        var goldn = (y % 19) + 1;
        var epact = ((11 * goldn) + 18) % 30;
        if ((epact == 25 && goldn > 11) || epact == 24)
        {
            epact++;
        }
        return ((((diy + epact) * 6) + 11) % 177 / 22) & 7;
    }

    private static DateResult CheckOne(string? value, long field)
    {
        if (value is null || !TryParseRange(value, out var low, out var high))
        {
            return DateResult.Undetermined;
        }
        if (low == high || (low != -1 && high != -1))
        {
            return field < low ? DateResult.Before : field > high ? DateResult.After : DateResult.Within;
        }
        if (low == -1)
        {
            return field <= high ? DateResult.Within : DateResult.After;
        }
        return field >= low ? DateResult.Within : DateResult.Before;
    }

    /// <summary>pcmk__parse_ll_range: "a", "a-b", "a-" or "-b" (missing bounds are -1).</summary>
    private static bool TryParseRange(string text, out long low, out long high)
    {
        low = -1;
        high = -1;
        if (text.Length == 0 || text == "-")
        {
            return false;
        }
        if (text[0] == '-')
        {
            return long.TryParse(text[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out high);
        }
        var dash = text.IndexOf('-', 1);
        var first = dash < 0 ? text : text[..dash];
        if (!long.TryParse(first, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out low))
        {
            low = -1;
            return false;
        }
        if (dash < 0)
        {
            high = low;
            return true;
        }
        var rest = text[(dash + 1)..];
        if (rest.Length == 0)
        {
            return true;
        }
        return long.TryParse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out high);
    }

    /// <summary>The rule's verdict for the nvpair block evaluator.</summary>
    public static Func<bool> For(Rule? rule, RuleContext context) =>
        rule is null ? static () => true : () => Test(rule, context);

    /// <summary>Turns model attribute blocks into blocks for <see cref="NvSets"/>.</summary>
    public static IEnumerable<NvSets.Block> Blocks(IEnumerable<Model.Attributes.AttributeSet> sets, RuleContext context) =>
        sets.Select(set => new NvSets.Block(
            set.Id,
            NvSets.Clamp(set.Score?.Value ?? 0),
            set.Pairs.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToList(),
            For(set.Rule, context)));
}
