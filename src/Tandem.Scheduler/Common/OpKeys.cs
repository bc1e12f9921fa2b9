using System.Globalization;
using System.Text.RegularExpressions;

namespace Tandem.Scheduler.Common;

/// <summary>Action keys as Pacemaker spells them: <c>rsc_task_interval</c>, notifications and the parser for both.</summary>
internal static partial class OpKeys
{
    public static string Key(string rscId, string task, uint intervalMs) =>
        string.Create(CultureInfo.InvariantCulture, $"{rscId}_{task}_{intervalMs}");

    public static string NotifyKey(string rscId, string notifyType, string task) => $"{rscId}_{notifyType}_notify_{task}_0";

    /// <summary>Splits a key into resource, task and interval (parse_op_key); false when it is not a key.</summary>
    public static bool TryParse(string key, out string rscId, out string task, out uint intervalMs)
    {
        rscId = "";
        task = "";
        intervalMs = 0;
        var u1 = key.IndexOf('_', StringComparison.Ordinal);
        if (u1 < 0)
        {
            return false;
        }
        var u2 = key.IndexOf('_', u1 + 1);
        if (u2 < 0)
        {
            return false;
        }
        var u3 = key.IndexOf('_', u2 + 1);
        if (u3 < 0)
        {
            rscId = key[..u1];
            task = key[(u1 + 1)..u2];
            intervalMs = ParseInterval(key[(u2 + 1)..]);
            return true;
        }
        var match = MigrateNotifyPattern().Match(key);
        if (match.Success)
        {
            rscId = match.Groups[1].Value;
            task = match.Groups[2].Value;
            intervalMs = ParseInterval(match.Groups[7].Value);
            return true;
        }
        // Basic match: interval after the last underscore, task after the one before.
        var intervalSep = key.LastIndexOf('_');
        var digits = key[(intervalSep + 1)..];
        var typeSep = key.LastIndexOf('_', intervalSep - 1);
        if (typeSep < 0)
        {
            return false;
        }
        rscId = key[..typeSep];
        task = key[(typeSep + 1)..intervalSep];
        intervalMs = ParseInterval(digits);
        return true;
    }

    private static uint ParseInterval(string text) =>
        (uint)Math.Clamp(Model.Status.StatusXmlReader.ParseLong(text) ?? 0, 0, uint.MaxValue);

    [GeneratedRegex("^(.*)_(migrate_(from|to)|(pre|post)_notify_([a-z]+|migrate_(from|to)))_([0-9]+)$")]
    private static partial Regex MigrateNotifyPattern();
}
