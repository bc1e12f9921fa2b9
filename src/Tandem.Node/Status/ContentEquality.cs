namespace Tandem.Node.Status;

/// <summary>Dictionaries compared by content, for the status records' value equality.</summary>
internal static class ContentEquality
{
    public static bool Same<TValue>(IReadOnlyDictionary<string, TValue> a, IReadOnlyDictionary<string, TValue> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && EqualityComparer<TValue>.Default.Equals(pair.Value, value));
}
