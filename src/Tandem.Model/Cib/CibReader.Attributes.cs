using System.Xml.Linq;
using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;
using Tandem.Model.Rules;

namespace Tandem.Model.Cib;

/// <summary>Attribute blocks (nvsets) and rules.</summary>
internal sealed partial class CibReader
{
    /// <summary>Reads an attribute block, following id-ref; null when the reference dangles.</summary>
    private AttributeSet? ReadAttributeSet(CibElement e) =>
        ReadReferable(e, ReadAttributeSetContent, copy => copy with { IdRef = copy.Id });

    private AttributeSet ReadAttributeSetContent(CibElement e)
    {
        var id = e.Id();
        var score = e.Score();
        var pairs = new List<NvPair>();
        Rule? rule = null;
        foreach (var child in e.Children)
        {
            var c = e.Child(child);
            switch (c.Name)
            {
                case "nvpair":
                    if (ReadNvPair(c) is { } pair)
                    {
                        pairs.Add(pair);
                    }
                    break;
                case "rule":
                    var read = ReadRule(c);
                    if (rule is not null)
                    {
                        c.Report(DiagnosticSeverity.Unsupported, $"{e.Display} has more than one rule; only the first is kept, {c.Display} is ignored", code: "unsupported-element");
                    }
                    else
                    {
                        rule = read;
                    }
                    break;
                default:
                    e.UnknownChild(child, e.Name);
                    break;
            }
        }
        return new AttributeSet(id, pairs.ToValueList()) { Score = score, Rule = rule };
    }

    private NvPair? ReadNvPair(CibElement e)
    {
        var idRef = e.Attr("id-ref");
        if (idRef is not null)
        {
            var name = e.Attr("name");
            e.Finish();
            if (!_byId.TryGetValue(("nvpair", idRef), out var target) || target.Attribute("id-ref") is not null)
            {
                e.Report(DiagnosticSeverity.Error, $"{e.Display} refers to no <nvpair id=\"{idRef}\">; ignored");
                return null;
            }
            return new NvPair(idRef, name ?? (string?)target.Attribute("name") ?? "", (string?)target.Attribute("value")) { IdRef = idRef };
        }
        var pair = new NvPair(e.Id(), e.Required("name"), e.Attr("value"));
        e.Finish();
        return pair;
    }

    private Rule? ReadRule(CibElement e) =>
        ReadReferable(e, ReadRuleContent, copy => copy with { IdRef = copy.Id });

    private Rule ReadRuleContent(CibElement e)
    {
        var id = e.Id();
        var score = e.Score();
        var scoreAttribute = e.Attr("score-attribute");
        var booleanOp = e.Enum<BooleanOperator>("boolean-op", EnumNames.TryParse, "and or or", BooleanOperator.And) ?? BooleanOperator.And;
        var role = e.Role("role");
        var expressions = new List<RuleExpression>();
        foreach (var child in e.Children)
        {
            var c = e.Child(child);
            RuleExpression? expression = c.Name switch
            {
                "expression" => ReadAttributeExpression(c),
                "date_expression" => ReadDateExpression(c),
                "rsc_expression" => new ResourceExpression(c.Id()) { Class = c.Attr("class"), Provider = c.Attr("provider"), Type = c.Attr("type") },
                "op_expression" => new OperationExpression(c.Id(), c.Required("name")) { Interval = c.Duration("interval") },
                "rule" => ReadRule(c),
                _ => null,
            };
            if (expression is null && c.Name is not "rule")
            {
                e.UnknownChild(child, "rule");
                continue;
            }
            if (c.Name != "rule")
            {
                c.Finish();
            }
            if (expression is not null)
            {
                expressions.Add(expression);
            }
        }
        if (expressions.Count == 0)
        {
            e.Report(DiagnosticSeverity.Warning, $"{e.Display} has no expressions (Pacemaker treats an empty rule as true)");
        }
        return new Rule(id, expressions.ToValueList())
        {
            Score = score,
            ScoreAttribute = scoreAttribute,
            BooleanOp = booleanOp,
            Role = role,
        };
    }

    private static AttributeExpression ReadAttributeExpression(CibElement e)
    {
        var id = e.Id();
        var attribute = e.Required("attribute");
        var operationText = e.Attr("operation");
        ComparisonOperator operation;
        if (operationText is null)
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} has no 'operation' attribute; read as eq");
            operation = ComparisonOperator.Eq;
        }
        else if (!ComparisonOperatorNames.TryParse(operationText, out operation))
        {
            e.Invalid("operation", $"invalid value '{operationText}' (expected lt, gt, lte, gte, eq, ne, defined or not_defined); read as eq");
            operation = ComparisonOperator.Eq;
        }
        var value = e.Attr("value");
        if (value is null && operation.TakesValue())
        {
            e.Report(DiagnosticSeverity.Error, $"{e.Display} compares with no value (operation '{operation.ToName()}' needs a 'value')");
        }
        return new AttributeExpression(id, attribute, operation)
        {
            Value = value,
            Type = e.Enum<Rules.ValueType>("type", EnumNames.TryParse, "string, integer, number or version"),
            ValueSource = e.Enum<ValueSource>("value-source", EnumNames.TryParse, "literal, param or meta", ValueSource.Literal) ?? ValueSource.Literal,
        };
    }

    private static DateExpression ReadDateExpression(CibElement e)
    {
        var id = e.Id();
        var operation = e.Enum<DateOperation>("operation", TryParseDateOperation, "in_range, gt, lt or date_spec", DateOperation.InRange) ?? DateOperation.InRange;
        if (!e.Has("operation"))
        {
            e.Report(DiagnosticSeverity.Warning, $"{e.Display} has no 'operation'; read as in_range");
        }
        DateSpec? duration = null;
        DateSpec? spec = null;
        foreach (var child in e.Children)
        {
            var c = e.Child(child);
            switch (c.Name)
            {
                case "duration":
                    duration = ReadDateSpec(c);
                    break;
                case "date_spec":
                    spec = ReadDateSpec(c);
                    break;
                default:
                    e.UnknownChild(child, "date_expression");
                    break;
            }
        }
        return new DateExpression(id, operation) { Start = e.Attr("start"), End = e.Attr("end"), Duration = duration, Spec = spec };
    }

    private static bool TryParseDateOperation(string text, out DateOperation operation)
    {
        operation = text switch
        {
            "gt" => DateOperation.Gt,
            "lt" => DateOperation.Lt,
            "in_range" => DateOperation.InRange,
            "date_spec" => DateOperation.DateSpec,
            _ => (DateOperation)(-1),
        };
        return Enum.IsDefined(operation);
    }

    private static DateSpec ReadDateSpec(CibElement e)
    {
        var spec = new DateSpec(e.Id())
        {
            Hours = e.Attr("hours"),
            Minutes = e.Attr("minutes"),
            Seconds = e.Attr("seconds"),
            Monthdays = e.Attr("monthdays"),
            Weekdays = e.Attr("weekdays"),
            Yeardays = e.Attr("yeardays"),
            Yearsdays = e.Attr("yearsdays"),
            Months = e.Attr("months"),
            Weeks = e.Attr("weeks"),
            Years = e.Attr("years"),
            Weekyears = e.Attr("weekyears"),
            Moon = e.Attr("moon"),
        };
        e.Finish();
        return spec;
    }

    /// <summary>Reads the given children of <paramref name="e"/> as attribute blocks, skipping dangling references.</summary>
    private ValueList<AttributeSet> ReadSets(CibElement e, IEnumerable<XElement> children) =>
        children.Select(c => ReadAttributeSet(e.Child(c))).OfType<AttributeSet>().ToValueList();
}
