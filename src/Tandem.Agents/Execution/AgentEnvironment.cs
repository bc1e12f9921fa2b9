using System.Collections;
using System.Globalization;

namespace Tandem.Agents.Execution;

/// <summary>
/// The environment of an agent process (pure): the daemon's environment, the helper directory first on
/// PATH and as HA_SBIN_DIR (resource-agents calls <c>${HA_SBIN_DIR}/crm_attribute</c>), and for OCF agents
/// the variables Pacemaker's executor sets: OCF_ROOT, OCF_RA_VERSION_*, OCF_RESOURCE_*, OCF_RESKEY_*
/// parameters, OCF_RESKEY_CRM_meta_* (interval and timeout in ms, name, on_node, the clone metas),
/// notification variables, OCF_CHECK_LEVEL and OCF_RESKEY_crm_feature_set.
/// </summary>
public static class AgentEnvironment
{
    private const string DefaultPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    public static Dictionary<string, string> Build(OperationRequest request, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var env = new Dictionary<string, string>(options.BaseEnvironment ?? ProcessEnvironment(), StringComparer.Ordinal);
        var path = env.TryGetValue("PATH", out var inherited) && inherited.Length > 0 ? inherited : DefaultPath;
        if (options.HelperDirectory is { } helpers)
        {
            env["PATH"] = $"{helpers}:{path}";
            env["HA_SBIN_DIR"] = helpers;
        }
        else
        {
            env["PATH"] = path;
        }
        if (request.Agent.Class != AgentClass.Ocf)
        {
            return env;
        }

        env["OCF_ROOT"] = options.OcfRoot;
        env["OCF_RA_VERSION_MAJOR"] = "1";
        env["OCF_RA_VERSION_MINOR"] = "1";
        env["OCF_EXIT_REASON_PREFIX"] = Processes.OutputCapture.ExitReasonPrefix;
        env["OCF_RESOURCE_INSTANCE"] = request.ResourceId;
        env["OCF_RESOURCE_TYPE"] = request.Agent.Type;
        env["OCF_RESOURCE_PROVIDER"] = request.Agent.Provider!;
        foreach (var (name, value) in request.Parameters)
        {
            env["OCF_RESKEY_" + name] = value;
        }
        foreach (var (name, value) in request.Meta)
        {
            env[MetaName(name)] = value;
        }
        env[MetaName("name")] = request.Action;
        env[MetaName("interval")] = request.IntervalMs.ToString(CultureInfo.InvariantCulture);
        env[MetaName("timeout")] = request.TimeoutMs.ToString(CultureInfo.InvariantCulture);
        env[MetaName("on_node")] = options.NodeName;
        if (options.NodeId is { } nodeId)
        {
            env[MetaName("on_node_uuid")] = nodeId;
        }
        env["OCF_RESKEY_crm_feature_set"] = ExecutorOptions.FeatureSet;
        if (request.CheckLevel is { } level)
        {
            env["OCF_CHECK_LEVEL"] = level.ToString(CultureInfo.InvariantCulture);
        }
        if (request.Notify is { } notify)
        {
            AddNotify(env, notify);
        }
        return env;
    }

    /// <summary>OCF_RESKEY_CRM_meta_NAME with '-' replaced by '_' (clone-max becomes clone_max).</summary>
    public static string MetaName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "OCF_RESKEY_CRM_meta_" + name.Replace('-', '_');
    }

    private static void AddNotify(Dictionary<string, string> env, NotifyData notify)
    {
        env[MetaName("notify_type")] = notify.Type;
        env[MetaName("notify_operation")] = notify.Operation;
        void Set(string set, IReadOnlyList<NotifyInstance> instances)
        {
            // Pacemaker passes every list, empty ones as a single space.
            env[MetaName($"notify_{set}_resource")] = Join(instances.Select(i => i.Resource));
            env[MetaName($"notify_{set}_uname")] = Join(instances.Select(i => i.Node));
        }
        Set("start", notify.Start);
        Set("stop", notify.Stop);
        Set("active", notify.Active);
        Set("inactive", notify.Inactive);
        Set("promote", notify.Promote);
        Set("demote", notify.Demote);
        Set("promoted", notify.Promoted);
        Set("unpromoted", notify.Unpromoted);
        // The names before Pacemaker 2.1, still read by agents (linbit drbd reads master/slave).
        Set("master", notify.Promoted);
        Set("slave", notify.Unpromoted);
        env[MetaName("notify_available_uname")] = Join(notify.AvailableNodes);
        env[MetaName("notify_all_uname")] = Join(notify.AllNodes);
    }

    private static string Join(IEnumerable<string> words)
    {
        var text = string.Join(' ', words);
        return text.Length == 0 ? " " : text;
    }

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return env;
    }
}
