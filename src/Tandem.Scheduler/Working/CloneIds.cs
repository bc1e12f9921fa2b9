namespace Tandem.Scheduler.Working;

/// <summary>Clone instance suffixes: <c>rsc:3</c> has base name <c>rsc</c> and instance number 3.</summary>
internal static class CloneIds
{
    /// <summary>The id without a trailing <c>:N</c> (clone_strip).</summary>
    public static string Strip(string id)
    {
        var end = BaseNameEnd(id);
        return id[..(end + 1)];
    }

    /// <summary>The id of instance 0 (clone_zero).</summary>
    public static string Zero(string id) => Strip(id) + ":0";

    private static int BaseNameEnd(string id)
    {
        if (id.Length == 0)
        {
            return -1;
        }
        var end = id.Length - 1;
        for (var s = end; s > 0; s--)
        {
            var c = id[s];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }
            if (c == ':')
            {
                return s == end ? s : s - 1;
            }
            return end;
        }
        return end;
    }

    /// <summary>The instance number after the last ':' (or '-'), as strtol reads it.</summary>
    public static long InstanceNumber(string id)
    {
        var sep = id.LastIndexOf(':');
        if (sep < 0)
        {
            sep = id.LastIndexOf('-');
        }
        return Model.Status.StatusXmlReader.ParseLong(id[(sep + 1)..]) ?? 0;
    }
}
