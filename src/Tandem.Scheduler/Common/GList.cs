namespace Tandem.Scheduler.Common;

/// <summary>
/// GLib's list sort (a stable top-down merge sort). Pacemaker's comparators are not always consistent
/// orders, so matching its results needs the same algorithm, not just any stable sort.
/// </summary>
internal static class GList
{
    public static List<T> Sort<T>(IEnumerable<T> items, Comparison<T> compare)
    {
        var array = items.ToArray();
        if (array.Length < 2)
        {
            return [.. array];
        }
        var sorted = SortRange(array, 0, array.Length, compare);
        return sorted;
    }

    private static List<T> SortRange<T>(T[] array, int start, int length, Comparison<T> compare)
    {
        if (length == 1)
        {
            return [array[start]];
        }
        var leftLength = length / 2;
        var left = SortRange(array, start, leftLength, compare);
        var right = SortRange(array, start + leftLength, length - leftLength, compare);
        var merged = new List<T>(length);
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            if (compare(left[i], right[j]) <= 0)
            {
                merged.Add(left[i++]);
            }
            else
            {
                merged.Add(right[j++]);
            }
        }
        while (i < left.Count)
        {
            merged.Add(left[i++]);
        }
        while (j < right.Count)
        {
            merged.Add(right[j++]);
        }
        return merged;
    }

    /// <summary>g_list_insert_sorted: inserts before the first item that compares greater.</summary>
    public static void InsertSorted<T>(List<T> list, T item, Comparison<T> compare)
    {
        var index = 0;
        while (index < list.Count && compare(item, list[index]) > 0)
        {
            index++;
        }
        list.Insert(index, item);
    }
}
