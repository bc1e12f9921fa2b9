using Tandem.Model.Constraints;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;
using Tandem.Model.Text;

namespace Tandem.Model.Tests.Text;

public sealed class TextParserTests
{
    [Fact]
    public void Reads_crm_spellings_Tandem_does_not_print()
    {
        var config = TextParser.Parse("""
            primitive s ocf:pacemaker:Stateful \
                op monitor role=Master interval=10s \
                op monitor role=Slave interval=11s
            ms ms1 s meta master-max=1
            collocation c1 +INFINITY: web ms1:Master
            primitive web IPaddr2 params ip=10.0.0.5
            order o1 Optional: ms1:promote web:start
            """);
        var ms = Assert.IsType<Clone>(config.Resources[0]);
        Assert.True(ms.IsPromotable);
        Assert.Equal(["promotable", "master-max"], ms.Meta[0].Pairs.Select(p => p.Name));
        var ops = ((Primitive)ms.Child).Operations;
        Assert.Equal([Role.Promoted, Role.Unpromoted], ops.Select(o => o.Role!.Value));
        Assert.Equal(new ResourceAgent("ocf", "heartbeat", "IPaddr2"), ((Primitive)config.Resources[1]).Agent);
        var c1 = Assert.IsType<ColocationConstraint>(config.Constraints[0]);
        Assert.Equal(("web", "ms1", Role.Promoted, Score.Infinity), (c1.Resource, c1.WithResource, c1.WithResourceRole!.Value, c1.Score!.Value));
        var o1 = Assert.IsType<OrderConstraint>(config.Constraints[1]);
        Assert.Equal((OrderKind.Optional, ResourceAction.Promote, ResourceAction.Start), (o1.Kind!.Value, o1.FirstAction!.Value, o1.ThenAction!.Value));
    }

    [Fact]
    public void Reads_location_rules_with_scores_attributes_and_dates()
    {
        var config = TextParser.Parse("""
            primitive web ocf:heartbeat:apache
            location l1 web \
                rule $role=Promoted 200: #uname eq astapor and site string:ne "site b" \
                rule pingd: defined pingd \
                rule -inf: date gt 2030-01-01 or ( 5: cpus integer:lt 4 )
            """);
        var rules = ((LocationConstraint)config.Constraints[0]).Rules;
        Assert.Equal(["l1-rule", "l1-rule-1", "l1-rule-2"], rules.Select(r => r.Id));
        Assert.Equal((Role.Promoted, new Score(200), BooleanOperator.And), (rules[0].Role!.Value, rules[0].Score!.Value, rules[0].BooleanOp));
        var ne = Assert.IsType<AttributeExpression>(rules[0].Expressions[1]);
        Assert.Equal(("site", ComparisonOperator.Ne, "site b", Tandem.Model.Rules.ValueType.String), (ne.Attribute, ne.Operation, ne.Value, ne.Type!.Value));
        Assert.Equal("pingd", rules[1].ScoreAttribute);
        Assert.Null(rules[1].Score);
        Assert.Equal(ComparisonOperator.Defined, Assert.IsType<AttributeExpression>(rules[1].Expressions[0]).Operation);
        Assert.Equal(BooleanOperator.Or, rules[2].BooleanOp);
        Assert.Equal("2030-01-01", Assert.IsType<DateExpression>(rules[2].Expressions[0]).Start);
        Assert.True(rules[2].DependsOnDate);
        var nested = Assert.IsType<Rule>(rules[2].Expressions[1]);
        Assert.Equal(("l1-rule-2-expression-1", new Score(5)), (nested.Id, nested.Score!.Value));
    }

    [Theory]
    [InlineData("primitive", "line 1: primitive: unexpected end of statement (expected the primitive id)")]
    [InlineData("primitve web IPaddr2", "line 1, column 1: unknown statement 'primitve'")]
    [InlineData("primitive web IPaddr2 \\\n  op monitor interval=often", "line 2, column 14: primitive web: invalid duration 'often'")]
    [InlineData("primitive web IPaddr2 \\\n  op monitor interval=10s role=Boss", "line 2, column 27: primitive web: invalid role 'Boss'")]
    [InlineData("primitive web IPaddr2 parms ip=1", "line 1, column 23: primitive web: unexpected 'parms' (expected description=, params, meta, utilization, operations or op)")]
    [InlineData("location l1 web lots: node1", "line 1, column 17: location l1: invalid score 'lots'")]
    [InlineData("colocation c1 inf: a b c", "line 1, column 24: colocation c1: a colocation has two resources")]
    [InlineData("order o1 inf: a:begin b", "line 1, column 15: order o1: invalid value 'begin' (expected start, stop, promote or demote)")]
    [InlineData("group g a", "line 1, column 9: group 'g' contains 'a', which is not defined")]
    [InlineData("primitive a Dummy\nprimitive a Dummy", "line 2, column 1: resource 'a' is defined twice")]
    [InlineData("primitive a Dummy\ngroup g1 a\ngroup g2 a", "line 3, column 10: resource 'a' is in both 'g1' and 'g2'")]
    [InlineData("primitive a Dummy params ip=\"10.0.0.1", "line 1, column 26: unterminated quoted string")]
    [InlineData("location l1 web rule 10: #uname eq n1 and site eq a or site eq b", "line 1, column 53: location l1: a rule joins its expressions with either 'and' or 'or'")]
    [InlineData("location l1 web rule 10: #uname equals n1", "line 1, column 33: location l1: unknown operator 'equals'")]
    public void Errors_name_the_line_the_column_and_the_token(string text, string expectedStart)
    {
        var e = Assert.Throws<TextParseException>(() => TextParser.Parse(text));
        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Comments_and_blank_lines_are_ignored_but_hash_attributes_are_not_comments()
    {
        var config = TextParser.Parse("""
            # the web server
            primitive web IPaddr2

            location l1 web \
            #uname-like words continue the statement
            """.Replace("#uname-like words continue the statement", "rule 10: #uname eq node1", StringComparison.Ordinal));
        var rule = Assert.Single(((LocationConstraint)config.Constraints[0]).Rules);
        Assert.Equal("#uname", Assert.IsType<AttributeExpression>(Assert.Single(rule.Expressions)).Attribute);
    }
}
