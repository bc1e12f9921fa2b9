using System.Collections;

namespace Tandem.Scheduler.Working;

/// <summary>
/// A list whose new items go to the front, as GLib lists built with g_list_prepend do. Several of
/// Pacemaker's outcomes depend on that order (which of two equal actions is found first), so it is kept.
/// Stored reversed so that adding is O(1).
/// </summary>
internal sealed class PrependList<T> : IEnumerable<T>
{
    private readonly List<T> _reversed = [];

    public int Count => _reversed.Count;

    public T this[int index] => _reversed[_reversed.Count - 1 - index];

    public void Prepend(T item) => _reversed.Add(item);

    public bool Remove(T item) => _reversed.Remove(item);

    public void RemoveAll(Predicate<T> match) => _reversed.RemoveAll(match);

    /// <summary>Replaces the content with <paramref name="items"/> in the given (front-to-back) order.</summary>
    public void Reset(IEnumerable<T> items)
    {
        var list = items.ToList();
        list.Reverse();
        _reversed.Clear();
        _reversed.AddRange(list);
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = _reversed.Count - 1; i >= 0; i--)
        {
            yield return _reversed[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
