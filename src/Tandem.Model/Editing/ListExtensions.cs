using Tandem.Model.Collections;

namespace Tandem.Model.Editing;

internal static class ListExtensions
{
    public static int IndexWhere<T>(this ValueList<T> list, Func<T, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
