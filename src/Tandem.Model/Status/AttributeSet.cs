namespace Tandem.Model.Status;

/// <summary>
/// A set of node attributes as recorded in a node's transient attributes (an <c>instance_attributes</c>
/// block). Values keep document order; a higher score wins when sets overlap.
/// </summary>
public sealed record AttributeSet(string Id, int Score, IReadOnlyList<KeyValuePair<string, string>> Values);
