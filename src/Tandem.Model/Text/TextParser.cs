using Tandem.Model.Attributes;
using Tandem.Model.Cluster;
using Tandem.Model.Collections;
using Tandem.Model.Constraints;
using Tandem.Model.Resources;

namespace Tandem.Model.Text;

/// <summary>
/// Reads the crm-like text face (see <see cref="TextPrinter"/>) into the model. Also accepts crm
/// spellings that Tandem does not print: "ms" for a promotable clone, the Master/Slave role names,
/// "collocation". Errors are one line naming the line, the column and the token.
/// </summary>
public static partial class TextParser
{
    private const string Statements = "node, primitive, rsc_template, group, clone, ms, bundle, location, colocation, order, rsc_ticket, property, rsc_defaults, op_defaults, tag or fencing_level";

    /// <exception cref="TextParseException">The text does not follow the grammar or names undefined resources.</exception>
    public static ClusterConfiguration Parse(string text)
    {
        var state = new State();
        foreach (var statement in TextTokenizer.Statements(text))
        {
            var cursor = new TextCursor(statement, "statement");
            var keyword = cursor.Next("a statement");
            if (keyword.Quoted || keyword.IsPair)
            {
                throw cursor.Unexpected(keyword, Statements);
            }
            cursor.Context = keyword.Text;
            switch (keyword.Text)
            {
                case "node":
                    state.Nodes.Add(ParseNode(cursor));
                    break;
                case "primitive":
                    state.AddResource(keyword, ParsePrimitive(cursor, keyword));
                    break;
                case "rsc_template":
                    state.Templates.Add(ParseTemplate(cursor));
                    break;
                case "group" or "clone" or "ms" or "bundle":
                    state.AddResource(keyword, ParseContainer(cursor, keyword));
                    break;
                case "location":
                    state.Constraints.Add(ParseLocation(cursor));
                    break;
                case "colocation" or "collocation":
                    state.Constraints.Add(ParseColocation(cursor));
                    break;
                case "order":
                    state.Constraints.Add(ParseOrder(cursor));
                    break;
                case "rsc_ticket":
                    state.Constraints.Add(ParseTicket(cursor));
                    break;
                case "property":
                    state.Properties.Add(ParseTopLevelSet(cursor, TextIds.PropertySet, state.Properties.Count));
                    break;
                case "rsc_defaults":
                    state.ResourceDefaults.Add(ParseTopLevelSet(cursor, TextIds.ResourceDefaultsSet, state.ResourceDefaults.Count));
                    break;
                case "op_defaults":
                    state.OperationDefaults.Add(ParseTopLevelSet(cursor, TextIds.OperationDefaultsSet, state.OperationDefaults.Count));
                    break;
                case "tag":
                    state.Tags.Add(ParseTag(cursor));
                    break;
                case "fencing_level":
                    state.FencingLevels.Add(ParseFencingLevel(cursor));
                    break;
                default:
                    throw new TextParseException($"unknown statement '{keyword.Text}' (expected {Statements})", keyword.Line, keyword.Column, keyword.Text);
            }
            if (!cursor.AtEnd)
            {
                throw cursor.Unexpected(cursor.Peek()!, "the end of the statement");
            }
        }
        return state.Build();
    }

    /// <summary>What the statements declared, before resources are nested into their containers.</summary>
    private sealed class State
    {
        public List<Node> Nodes { get; } = [];
        public List<ResourceTemplate> Templates { get; } = [];
        public List<Constraint> Constraints { get; } = [];
        public List<AttributeSet> Properties { get; } = [];
        public List<AttributeSet> ResourceDefaults { get; } = [];
        public List<AttributeSet> OperationDefaults { get; } = [];
        public List<Tag> Tags { get; } = [];
        public List<FencingLevel> FencingLevels { get; } = [];
        private readonly Dictionary<string, Declared> _resources = new(StringComparer.Ordinal);

        public void AddResource(Token keyword, Declared declared)
        {
            if (!_resources.TryAdd(declared.Resource.Id, declared with { Slot = _resources.Count }))
            {
                throw new TextParseException($"resource '{declared.Resource.Id}' is defined twice", keyword.Line, keyword.Column, keyword.Text);
            }
        }

        public ClusterConfiguration Build()
        {
            var parents = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (id, declared) in _resources)
            {
                foreach (var child in declared.Children)
                {
                    if (!_resources.ContainsKey(child.Text))
                    {
                        throw new TextParseException($"{declared.Kind} '{id}' contains '{child.Text}', which is not defined", child.Line, child.Column, child.Text);
                    }
                    if (!parents.TryAdd(child.Text, id))
                    {
                        throw new TextParseException($"resource '{child.Text}' is in both '{parents[child.Text]}' and '{id}'", child.Line, child.Column, child.Text);
                    }
                }
            }
            var built = new Dictionary<string, Resource>(StringComparer.Ordinal);
            var topLevel = _resources.Keys.Where(id => !parents.ContainsKey(id))
                .OrderBy(EffectiveSlot)
                .Select(id => Nest(id, built, []))
                .ToValueList();
            if (built.Count < _resources.Count)
            {
                var cyclic = _resources.Values.First(d => !built.ContainsKey(d.Resource.Id));
                throw new TextParseException($"resource '{cyclic.Resource.Id}' contains itself", cyclic.Keyword.Line, cyclic.Keyword.Column, cyclic.Resource.Id);
            }
            return new ClusterConfiguration
            {
                Nodes = Nodes.ToValueList(),
                Templates = Templates.ToValueList(),
                Resources = topLevel,
                Constraints = Constraints.ToValueList(),
                Properties = Properties.ToValueList(),
                ResourceDefaults = ResourceDefaults.ToValueList(),
                OperationDefaults = OperationDefaults.ToValueList(),
                Tags = Tags.ToValueList(),
                FencingTopology = FencingLevels.ToValueList(),
            };
        }

        // A container stands where its first child was written: the printer writes children first, so
        // this keeps the order of top-level resources, which placement depends on.
        private int EffectiveSlot(string id)
        {
            var declared = _resources[id];
            return declared.Children.Count == 0 ? declared.Slot : Math.Min(declared.Slot, EffectiveSlot(declared.Children[0].Text));
        }

        private Resource Nest(string id, Dictionary<string, Resource> built, HashSet<string> path)
        {
            var declared = _resources[id];
            if (!path.Add(id))
            {
                throw new TextParseException($"resource '{id}' contains itself", declared.Keyword.Line, declared.Keyword.Column, id);
            }
            Resource resource = declared.Resource switch
            {
                Group g => g with { Members = declared.Children.Select(c => Nest(c.Text, built, path) as Primitive
                    ?? throw new TextParseException($"group '{id}' can contain only primitives, and '{c.Text}' is not one", c.Line, c.Column, c.Text)).ToValueList() },
                Clone c => c with { Child = Nest(declared.Children[0].Text, built, path) is var child and (Primitive or Group)
                    ? child
                    : throw new TextParseException($"clone '{id}' can contain only a primitive or a group", declared.Children[0].Line, declared.Children[0].Column, declared.Children[0].Text) },
                Bundle b when declared.Children.Count == 1 => b with { Primitive = Nest(declared.Children[0].Text, built, path) as Primitive
                    ?? throw new TextParseException($"bundle '{id}' can contain only a primitive", declared.Children[0].Line, declared.Children[0].Column, declared.Children[0].Text) },
                var other => other,
            };
            path.Remove(id);
            built[id] = resource;
            return resource;
        }
    }

    /// <summary>A resource statement: the resource without its children, and the children it names.</summary>
    private sealed record Declared(Token Keyword, string Kind, Resource Resource, List<Token> Children)
    {
        public int Slot { get; init; }
    }
}
