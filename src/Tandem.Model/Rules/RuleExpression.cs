using System.Text.Json.Serialization;

namespace Tandem.Model.Rules;

/// <summary>
/// One condition of a rule: a node-attribute comparison, a date condition, a resource-agent or
/// operation match, or a nested rule.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(AttributeExpression), "attribute")]
[JsonDerivedType(typeof(DateExpression), "date")]
[JsonDerivedType(typeof(ResourceExpression), "resource")]
[JsonDerivedType(typeof(OperationExpression), "operation")]
[JsonDerivedType(typeof(Rule), "rule")]
public abstract record RuleExpression(string Id)
{
    /// <summary>True when the condition (or one nested in it) depends on the date and time.</summary>
    [JsonIgnore]
    public virtual bool DependsOnDate => false;
}
