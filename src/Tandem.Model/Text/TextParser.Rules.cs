using Tandem.Model.Collections;
using Tandem.Model.Rules;

namespace Tandem.Model.Text;

/// <summary>
/// Rules: "rule [$id=] [$role=] [$boolean-op=or] [score:|attribute:] expression [and|or expression ...]",
/// where an expression is "attr [type:][source:]op value", "defined attr", "not_defined attr",
/// "date op [start=] [end=] [duration f=v...] [spec f=v...]", "rsc class:provider:type", "op name[:interval]",
/// or a nested rule in parentheses.
/// </summary>
public static partial class TextParser
{
    private const string ExpressionStart = "an expression (attr op value, defined attr, date ..., rsc ..., op ..., or ( ... ))";

    /// <summary>A rule after its "rule" keyword.</summary>
    private static Rule ParseRule(TextCursor cursor, string conventionalId)
    {
        var rule = ParseRuleHeader(cursor, conventionalId);
        return ParseRuleExpressions(cursor, rule, inParentheses: false);
    }

    private static Rule ParseRuleHeader(TextCursor cursor, string conventionalId)
    {
        var rule = new Rule(conventionalId, []);
        while (cursor.Peek() is { IsPair: true } token && token.Key!.StartsWith('$'))
        {
            cursor.Next("");
            rule = token.Key switch
            {
                "$id" => rule with { Id = token.Value! },
                "$role" => rule with { Role = cursor.RoleOf(token, token.Value!) },
                "$boolean-op" => rule with { BooleanOp = cursor.EnumOf<BooleanOperator>(token, token.Value!, "and or or") },
                "$score-attribute" => rule with { ScoreAttribute = token.Value },
                _ => throw cursor.Unexpected(token, "$id=, $role=, $boolean-op=, $score-attribute= or a score"),
            };
        }
        if (cursor.Peek() is { IsLabel: true } label)
        {
            cursor.Next("");
            rule = Scores.Score.TryParse(label.Label, out var score, out _)
                ? rule with { Score = score }
                : rule with { ScoreAttribute = label.Label };
        }
        if (cursor.AcceptPair("$score-attribute") is { } attribute)
        {
            rule = rule with { ScoreAttribute = attribute.Value };
        }
        return rule;
    }

    private static Rule ParseRuleExpressions(TextCursor cursor, Rule rule, bool inParentheses)
    {
        var expressions = new List<RuleExpression>();
        BooleanOperator? joiner = null;
        if (StartsExpression(cursor.Peek()))
        {
            expressions.Add(ParseExpression(cursor, TextIds.Expression(rule.Id, 0)));
            while (cursor.Peek() is { } next && (next.Is("and") || next.Is("or")))
            {
                cursor.Next("");
                var op = next.Text == "and" ? BooleanOperator.And : BooleanOperator.Or;
                if (joiner is { } previous && previous != op)
                {
                    throw cursor.Error(next, "a rule joins its expressions with either 'and' or 'or'; use parentheses to mix them");
                }
                joiner = op;
                expressions.Add(ParseExpression(cursor, TextIds.Expression(rule.Id, expressions.Count)));
            }
        }
        if (inParentheses)
        {
            var close = cursor.Next("')' closing the nested rule");
            if (!close.Is(")"))
            {
                throw cursor.Unexpected(close, "'and', 'or' or ')'");
            }
        }
        return rule with
        {
            Expressions = expressions.ToValueList(),
            BooleanOp = joiner ?? rule.BooleanOp,
        };
    }

    // The expression list ends at a name=value pair (the block's pairs), another rule, or the end.
    private static bool StartsExpression(Token? token) =>
        token is not null && !token.IsPair && !token.Is("rule") && !token.Is(")");

    private static RuleExpression ParseExpression(TextCursor cursor, string id)
    {
        var token = cursor.Next(ExpressionStart);
        if (token.Is("("))
        {
            var nested = ParseRuleHeader(cursor, id);
            return ParseRuleExpressions(cursor, nested, inParentheses: true);
        }
        if (token.Is("defined") || token.Is("not_defined"))
        {
            var attribute = cursor.Word("the attribute name");
            return new AttributeExpression(id, attribute, token.Text == "defined" ? ComparisonOperator.Defined : ComparisonOperator.NotDefined);
        }
        if (token.Is("date"))
        {
            return ParseDateExpression(cursor, id);
        }
        if (token.Is("rsc"))
        {
            var agent = cursor.Next("class:provider:type");
            var parts = agent.Text.Split(':');
            if (parts.Length != 3)
            {
                throw cursor.Error(agent, "a resource expression is class:provider:type (leave a part empty to match any)");
            }
            return new ResourceExpression(id) { Class = Part(parts[0]), Provider = Part(parts[1]), Type = Part(parts[2]) };
        }
        if (token.Is("op"))
        {
            var operation = cursor.Next("name[:interval]");
            var parts = operation.Text.Split(':', 2);
            return new OperationExpression(id, parts[0])
            {
                Interval = parts.Length == 2
                    ? Durations.Duration.TryParse(parts[1], out var interval, out var error) ? interval : throw cursor.Error(operation, error)
                    : null,
            };
        }
        if (token.IsPair || token.Is("and") || token.Is("or"))
        {
            throw cursor.Unexpected(token, ExpressionStart);
        }
        return ParseAttributeExpression(cursor, id, token);
    }

    private static string? Part(string text) => text.Length == 0 ? null : text;

    private static AttributeExpression ParseAttributeExpression(TextCursor cursor, string id, Token attribute)
    {
        var opToken = cursor.Next("an operator (lt, gt, lte, gte, eq, ne, defined, not_defined)");
        if (opToken.IsPair || opToken.Quoted)
        {
            throw cursor.Unexpected(opToken, "an operator (lt, gt, lte, gte, eq, ne, defined, not_defined)");
        }
        var parts = opToken.Text.Split(':');
        if (!ComparisonOperatorNames.TryParse(parts[^1], out var operation))
        {
            throw cursor.Error(opToken, $"unknown operator '{parts[^1]}' (expected lt, gt, lte, gte, eq, ne, defined or not_defined)");
        }
        Rules.ValueType? type = null;
        var source = ValueSource.Literal;
        foreach (var qualifier in parts[..^1])
        {
            if (EnumNames.TryParse(qualifier, out Rules.ValueType t) && type is null)
            {
                type = t;
            }
            else if (EnumNames.TryParse(qualifier, out ValueSource s))
            {
                source = s;
            }
            else
            {
                throw cursor.Error(opToken, $"unknown qualifier '{qualifier}' (expected a type string, integer, number, version, or a source literal, param, meta)");
            }
        }
        var value = cursor.Next("the value to compare with");
        if (value.IsPair || (!value.Quoted && (value.Is("and") || value.Is("or") || value.Is(")"))))
        {
            throw cursor.Unexpected(value, "the value to compare with");
        }
        return new AttributeExpression(id, attribute.Text, operation) { Value = value.Text, Type = type, ValueSource = source };
    }

    private static DateExpression ParseDateExpression(TextCursor cursor, string id)
    {
        var opToken = cursor.Next("gt, lt, in_range or date_spec");
        DateOperation operation = opToken.Text switch
        {
            "gt" => DateOperation.Gt,
            "lt" => DateOperation.Lt,
            "in_range" or "in" => DateOperation.InRange,
            "date_spec" or "spec" => DateOperation.DateSpec,
            _ => throw cursor.Unexpected(opToken, "gt, lt, in_range or date_spec"),
        };
        var expression = new DateExpression(id, operation);
        // crm's shorthand: "date gt 2024-01-01", "date lt 2024-12-31" (an ISO 8601 date starts with a digit).
        if (operation is DateOperation.Gt or DateOperation.Lt && cursor.Peek() is { IsPair: false, Text: [>= '0' and <= '9', ..] } bare)
        {
            cursor.Next("");
            expression = operation == DateOperation.Gt ? expression with { Start = bare.Text } : expression with { End = bare.Text };
        }
        while (true)
        {
            if (cursor.AcceptPair("start") is { } start)
            {
                expression = expression with { Start = start.Value };
            }
            else if (cursor.AcceptPair("end") is { } end)
            {
                expression = expression with { End = end.Value };
            }
            else if (cursor.Accept("duration"))
            {
                expression = expression with { Duration = ParseDateSpec(cursor, TextIds.Duration(id)) };
            }
            else if (cursor.Accept("spec"))
            {
                expression = expression with { Spec = ParseDateSpec(cursor, TextIds.DateSpec(id)) };
            }
            else
            {
                return expression;
            }
        }
    }

    private static DateSpec ParseDateSpec(TextCursor cursor, string id)
    {
        var spec = new DateSpec(id);
        while (cursor.Peek() is { IsPair: true } field && DateSpecs.FieldNames.Contains(field.Key))
        {
            cursor.Next("");
            spec = DateSpecs.With(spec, field.Key!, field.Value!)!;
        }
        return spec;
    }

    private static ValueList<Rule> ParseLocationRules(TextCursor cursor, string constraintId)
    {
        var rules = new List<Rule>();
        while (cursor.Accept("rule"))
        {
            rules.Add(ParseRule(cursor, TextIds.LocationRule(constraintId, rules.Count)));
        }
        return rules.ToValueList();
    }
}
