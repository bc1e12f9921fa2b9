using Tandem.Model.Status;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Reads fail counts from node attributes (<c>fail-count-RSC#OP_INTERVAL</c>, summed over operations, and
/// <c>last-failure-RSC#...</c>), applying the failure timeout when asked for the effective count.
/// </summary>
internal static class FailCounts
{
    public const string FailCountPrefix = "fail-count";
    public const string LastFailurePrefix = "last-failure";

    /// <summary>
    /// The fail count of <paramref name="rsc"/> on <paramref name="node"/>. With <paramref name="effective"/>,
    /// failures older than the resource's failure-timeout do not count; with <paramref name="fillers"/>,
    /// the resources inside a container add theirs.
    /// </summary>
    public static int Get(WorkingSet ws, NodeDetails node, Resource rsc, out long lastFailure, bool effective, bool fillers,
                          OperationRecord? op = null)
    {
        lastFailure = 0;
        var name = FailName(rsc);
        var legacy = CompareVersion(ws.FeatureSet, "3.0.13") < 0;
        var anyInstance = !rsc.Is(ResourceFlags.Unique);
        var failcount = 0;
        long last = 0;
        foreach (var (key, value) in node.Attrs)
        {
            if (IsFailureAttribute(key, FailCountPrefix, name, anyInstance, legacy))
            {
                failcount = Scores.Add(failcount, Scores.Parse(value));
            }
            else if (IsFailureAttribute(key, LastFailurePrefix, name, anyInstance, legacy) && StatusXmlReader.ParseLong(value) is { } lastValue)
            {
                last = Math.Max(last, lastValue);
            }
        }
        if (failcount > 0 && last > 0)
        {
            lastFailure = last;
        }
        if (failcount > 0 && rsc.FailureTimeout != 0 && BlockFailure(ws, node, rsc, op))
        {
            // A failure that blocks the resource never expires.
            rsc.FailureTimeout = 0;
        }
        if (effective && failcount > 0 && last > 0 && rsc.FailureTimeout != 0 && ws.Now > last + rsc.FailureTimeout)
        {
            failcount = 0;
        }
        if (fillers && rsc.Fillers.Count > 0)
        {
            foreach (var filler in rsc.Fillers)
            {
                failcount += Get(ws, node, filler, out var fillerLast, effective, fillers, op);
                if (fillerLast > lastFailure)
                {
                    lastFailure = fillerLast;
                }
            }
        }
        return failcount;
    }

    public static int Get(WorkingSet ws, NodeDetails node, Resource rsc, bool effective, bool fillers = false, OperationRecord? op = null) =>
        Get(ws, node, rsc, out _, effective, fillers, op);

    private static string FailName(Resource rsc)
    {
        var name = rsc.CloneName ?? rsc.Id;
        return rsc.Is(ResourceFlags.Unique) ? name : CloneIds.Strip(name);
    }

    /// <summary>
    /// Whether an attribute is PREFIX-NAME, then ":N" for any instance of an anonymous clone, then (from
    /// feature set 3.0.13 on) "#OPERATION_INTERVAL": the POSIX regex Pacemaker matches,
    /// ^PREFIX-NAME(:[0-9]+)?#.+_[0-9]+$ (POSIX: '.' is any character), by hand: it is asked for every
    /// resource on every node.
    /// </summary>
    internal static bool IsFailureAttribute(string key, string prefix, string name, bool anyInstance, bool legacy)
    {
        var nameAt = prefix.Length + 1;
        if (key.Length < nameAt + name.Length || !key.StartsWith(prefix, StringComparison.Ordinal) || key[prefix.Length] != '-'
            || string.CompareOrdinal(key, nameAt, name, 0, name.Length) != 0)
        {
            return false;
        }
        var rest = key.AsSpan(nameAt + name.Length);
        if (anyInstance && rest.Length > 1 && rest[0] == ':' && char.IsAsciiDigit(rest[1]))
        {
            var end = 2;
            while (end < rest.Length && char.IsAsciiDigit(rest[end]))
            {
                end++;
            }
            rest = rest[end..];
        }
        if (legacy)
        {
            return rest.IsEmpty;
        }
        if (rest.IsEmpty || rest[0] != '#')
        {
            return false;
        }
        var operation = rest[1..];
        // The interval is the digits after the last underscore; the operation name before it is not empty.
        var underscore = operation.LastIndexOf('_');
        var interval = underscore < 0 ? [] : operation[(underscore + 1)..];
        return underscore >= 1 && !interval.IsEmpty && !interval.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Whether a failure of the resource is configured to block it (an op with on-fail=block matching the failure).</summary>
    private static bool BlockFailure(WorkingSet ws, NodeDetails node, Resource rsc, OperationRecord? op)
    {
        var xmlName = CloneIds.Strip(rsc.Id);
        foreach (var conf in rsc.Definition.Operations)
        {
            if (!string.Equals(conf.Meta.GetValueOrDefault("on-fail"), "block", StringComparison.Ordinal))
            {
                continue;
            }
            if (op is not null)
            {
                if (IsMatchedFailure(xmlName, conf, op))
                {
                    return true;
                }
                continue;
            }
            foreach (var state in ws.Status.Nodes)
            {
                if (state.Uname != node.Uname)
                {
                    continue;
                }
                foreach (var history in state.Resources)
                {
                    if (history.Id != xmlName)
                    {
                        continue;
                    }
                    foreach (var record in history.Operations)
                    {
                        if (record.Operation == conf.Name && record.IntervalMs == conf.IntervalMs
                            && IsMatchedFailure(xmlName, conf, record))
                        {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static bool IsMatchedFailure(string rscId, OperationDefinition conf, OperationRecord op)
    {
        if (conf.IntervalMs != op.IntervalMs || !string.Equals(conf.Name, op.Operation, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (string.Equals(Common.OpKeys.Key(rscId, "last_failure", 0), op.Id, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.Equals(Common.OpKeys.Key(rscId, conf.Name, conf.IntervalMs), op.Id, StringComparison.OrdinalIgnoreCase))
        {
            return (op.RcCode ?? 0) != op.TargetRc;
        }
        return false;
    }

    /// <summary>compare_version: dotted numeric versions; a missing version sorts first.</summary>
    public static int CompareVersion(string? a, string? b)
    {
        if (a is null)
        {
            return b is null ? 0 : -1;
        }
        if (b is null)
        {
            return 1;
        }
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            var va = i < pa.Length ? StatusXmlReader.ParseLong(pa[i]) ?? 0 : 0;
            var vb = i < pb.Length ? StatusXmlReader.ParseLong(pb[i]) ?? 0 : 0;
            if (va != vb)
            {
                return va < vb ? -1 : 1;
            }
        }
        return 0;
    }
}
