using System.Security.Cryptography;
using System.Text;
using Tandem.Model.Status;
using Tandem.Scheduler.Actions;
using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// Detects configuration changes since an operation ran by recomputing the MD5 digests the executor
/// recorded: of all parameters, of the parameters that force a restart, and of the non-secret ones.
/// The text hashed is Pacemaker's serialization of a sorted &lt;parameters&gt; element.
/// </summary>
internal static class Digests
{
    private const string FeatureSet = "3.16.1";

    /// <summary>Whether a failed start or monitor's recorded digest no longer matches (so its fail count should go).</summary>
    public static bool ShouldClearForParamChange(WorkingSet ws, OperationRecord op, Resource rsc, Node node)
    {
        if (op.Operation != ActionFactory.Start && op.Operation != ActionFactory.Monitor)
        {
            return false;
        }
        var data = Compare(ws, rsc, op, node, null);
        return data.Result is DigestResult.Restart or DigestResult.All;
    }

    /// <summary>Compares the recorded digests of an operation with freshly computed ones (rsc_action_digest_cmp).</summary>
    public static DigestData Compare(WorkingSet ws, Resource rsc, OperationRecord op, Node node, IReadOnlySet<OperationRecord>? forcedRestart)
    {
        var digestRestart = forcedRestart is not null && forcedRestart.Contains(op) ? "calculated-failure-timeout" : op.OpRestartDigest;
        var data = Calculate(ws, rsc, op.Operation, op.IntervalMs, node, op, digestRestart);
        if (digestRestart is not null && data.RestartCalc is not null && data.RestartCalc != digestRestart)
        {
            data.Result = DigestResult.Restart;
        }
        else if (op.OpDigest is null)
        {
            data.Result = DigestResult.Unknown;
        }
        else if (op.OpDigest != data.AllCalc)
        {
            if (!(op.IntervalMs == 0 && data.Result == DigestResult.Restart))
            {
                data.Result = DigestResult.All;
            }
        }
        else
        {
            data.Result = DigestResult.Match;
        }
        return data;
    }

    private static DigestData Calculate(WorkingSet ws, Resource rsc, string task, uint intervalMs, Node node, OperationRecord? op, string? restartDigest)
    {
        var key = OpKeys.Key(rsc.Id, task, intervalMs);
        if (node.Details.DigestCache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var opVersion = op?.CrmFeatureSet ?? ws.FeatureSet ?? FeatureSet;
        var parameters = rsc.Definition.Parameters(node.Details);
        var action = ActionFactory.CustomAction(ws, rsc, key, task, node, true, false);
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            all.TryAdd(name, value);
        }
        foreach (var (name, value) in action.Extra)
        {
            all.TryAdd(name, value);
        }
        foreach (var (name, value) in action.Meta)
        {
            if (name.Contains('#', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }
            all.TryAdd(MetaName(name), value);
        }
        FilterForDigest(all);
        var result = DigestResult.Match;
        if (intervalMs == 0 && action.Extra.Count > 0)
        {
            result = DigestResult.Restart;
        }
        var allCalc = Md5Of(all);

        var secure = new Dictionary<string, string>(all, StringComparer.Ordinal);
        var oldVersion = FailCounts.CompareVersion(opVersion, "3.16.0") < 0;
        if (oldVersion)
        {
            secure = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in parameters)
            {
                secure.TryAdd(name, value);
            }
        }
        var secureList = op is null ? " passwd password user " : op.OpSecureParams;
        if (secureList is not null)
        {
            foreach (var name in secure.Keys.ToList())
            {
                if (secureList.Contains($" {name} ", StringComparison.Ordinal))
                {
                    secure.Remove(name);
                }
            }
        }
        if (oldVersion && rsc.Definition.Class == "stonith")
        {
            foreach (var name in secure.Keys.ToList())
            {
                if (IsFenceParam(name))
                {
                    secure.Remove(name);
                }
            }
        }
        FilterForDigest(secure);
        if (oldVersion)
        {
            secure.Remove("CRM_meta_timeout");
        }
        var secureCalc = Md5Of(secure);

        string? restartCalc = null;
        if (op is not null && restartDigest is not null)
        {
            var restart = new Dictionary<string, string>(all, StringComparer.Ordinal);
            if (op.OpForceRestart is { } forceRestart)
            {
                foreach (var name in restart.Keys.ToList())
                {
                    if (!forceRestart.Contains($" {name} ", StringComparison.Ordinal))
                    {
                        restart.Remove(name);
                    }
                }
            }
            restartCalc = Md5Of(restart);
        }
        var data = new DigestData { Result = result, AllCalc = allCalc, RestartCalc = restartCalc, SecureCalc = secureCalc };
        node.Details.DigestCache[key] = data;
        return data;
    }

    /// <summary>The secure digest of an operation's parameters as recorded (for "only private parameters changed").</summary>
    public static bool OnlySanitizedChanged(OperationRecord op, DigestData data) =>
        data.Result != DigestResult.Match && op.OpSecureDigest is not null && data.SecureCalc is not null
        && data.SecureCalc == op.OpSecureDigest;

    /// <summary>Parameters Pacemaker itself gives fence devices (pcmk_stonith_param).</summary>
    private static bool IsFenceParam(string name)
    {
        if (name is "provides" or "stonith-timeout")
        {
            return true;
        }
        if (!name.StartsWith("pcmk_", StringComparison.Ordinal))
        {
            return false;
        }
        if (name is "pcmk_action_limit" or "pcmk_delay_base" or "pcmk_delay_max" or "pcmk_host_argument"
            or "pcmk_host_check" or "pcmk_host_list" or "pcmk_host_map")
        {
            return true;
        }
        var sep = name.IndexOf('_', 5);
        return sep >= 0 && name[sep..] is "_action" or "_timeout" or "_retries";
    }

    /// <summary>Removes meta attributes and bookkeeping, keeping the timeout of recurring operations.</summary>
    internal static void FilterForDigest(Dictionary<string, string> set)
    {
        string? timeout = null;
        if (set.TryGetValue("CRM_meta_interval", out var interval) && (Model.Status.StatusXmlReader.ParseLong(interval) ?? 0) != 0)
        {
            set.TryGetValue("CRM_meta_timeout", out timeout);
        }
        foreach (var name in set.Keys.ToList())
        {
            if (name.StartsWith("CRM_meta_", StringComparison.Ordinal)
                || name is "id" or "crm_feature_set" or "op-digest" or "on_node" or "on_node_uuid" or "pcmk_external_ip")
            {
                set.Remove(name);
            }
        }
        if (timeout is not null)
        {
            set["CRM_meta_timeout"] = timeout;
        }
    }

    /// <summary>The name a meta attribute has in the agent's environment: CRM_meta_ plus the name with - as _.</summary>
    public static string MetaName(string name) => "CRM_meta_" + name.Replace('-', '_');

    /// <summary>MD5 of " &lt;parameters a="1" b="2"/&gt;\n" with attributes sorted by name (calculate_operation_digest).</summary>
    public static string Md5Of(IReadOnlyDictionary<string, string> attributes)
    {
        var text = new StringBuilder(" <parameters");
        foreach (var name in attributes.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            text.Append(' ').Append(name).Append("=\"").Append(Escape(attributes[name])).Append('"');
        }
        text.Append("/>\n");
#pragma warning disable CA5351 // Pacemaker records MD5 digests; matching them is compatibility, not security.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(text.ToString()));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>crm_xml_escape, including its quirk of stopping at the first multi-byte character.</summary>
    private static string Escape(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var output = new List<byte>(bytes.Length + 16);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if ((b & 0x80) != 0 && i + 1 < bytes.Length && (bytes[i + 1] & 0x80) != 0)
            {
                output.AddRange(bytes[i..]);
                return Encoding.UTF8.GetString(output.ToArray());
            }
            var replacement = b switch
            {
                (byte)'<' => "&lt;",
                (byte)'>' => "&gt;",
                (byte)'"' => "&quot;",
                (byte)'\'' => "&apos;",
                (byte)'&' => "&amp;",
                (byte)'\t' => "    ",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                _ => b < ' ' || b > '~' ? $"\\{Convert.ToString((sbyte)b, 8).PadLeft(3, '0')}" : null,
            };
            if (replacement is null)
            {
                output.Add(b);
            }
            else
            {
                output.AddRange(Encoding.ASCII.GetBytes(replacement));
            }
        }
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
