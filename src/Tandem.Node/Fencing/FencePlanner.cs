using System.Globalization;
using System.Text.RegularExpressions;
using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Constraints;
using Tandem.Model.Durations;
using Tandem.Model.Resources;

namespace Tandem.Node.Fencing;

/// <summary>
/// Decides how a node is fenced, as Pacemaker's fencer does: fence devices are the configuration's
/// <c>stonith:</c> primitives (not disabled); a device may be used from a node unless a location constraint
/// bans it there (-INFINITY); which targets it can fence follows pcmk_host_check (static-list from
/// pcmk_host_list / pcmk_host_map, dynamic-list, status, none; by default static-list when a list or map
/// is given, else the agent's list); the agent gets the target as port (pcmk_host_argument) mapped through
/// pcmk_host_map and the action remapped by pcmk_ACTION_action; the timeout is pcmk_ACTION_timeout, else
/// stonith-timeout. A fencing topology for the target gives the levels; without one, each device is a level
/// of its own, highest "priority" meta attribute first. Pure.
/// </summary>
public static class FencePlanner
{
    /// <summary>
    /// The request for the first node of <paramref name="executors"/> (in order of preference; the target
    /// is never one) that can use at least one device on the target, or null with the reason.
    /// </summary>
    public static FenceRequest? Plan(
        ClusterConfiguration configuration,
        string requestId,
        string target,
        uint targetNodeId,
        string action,
        IEnumerable<string> executors,
        out string reason)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var devices = Devices(configuration).ToList();
        if (devices.Count == 0)
        {
            reason = "no fence device is configured";
            return null;
        }
        var stonithTimeout = configuration.Options.StonithTimeout;
        foreach (var executor in executors)
        {
            if (string.Equals(executor, target, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var usable = devices.Where(d => !BannedOn(configuration, d.Id, executor)).ToList();
            var levels = Levels(configuration, usable, target)
                .Select(level => (IReadOnlyList<FenceDeviceCall>)[.. level.Select(d => Call(d, target, action, stonithTimeout))])
                .Where(level => level.Count > 0)
                .ToList();
            if (levels.Count > 0)
            {
                reason = "";
                return new FenceRequest(requestId, executor, target, targetNodeId, action, levels);
            }
        }
        reason = $"no fence device can fence {target} from a node that could run it";
        return null;
    }

    /// <summary>The fence devices in force: stonith primitives not disabled by target-role=Stopped.</summary>
    public static IEnumerable<Primitive> Devices(ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.AllResources
            .OfType<Primitive>()
            .Select(configuration.Expand)
            .Where(p => p.Agent is { IsStonith: true })
            .Where(p => !string.Equals(p.UnconditionalMeta.Values.GetValueOrDefault(ResourceMeta.TargetRoleName), "Stopped", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The check a device uses (null: the agent's list, or its status when it has no list).</summary>
    public static HostCheck? CheckOf(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.GetValueOrDefault("pcmk_host_check")?.ToLowerInvariant() switch
        {
            "static-list" => HostCheck.StaticList,
            "dynamic-list" => HostCheck.DynamicList,
            "status" => HostCheck.Status,
            "none" => HostCheck.None,
            _ when parameters.ContainsKey("pcmk_host_list") || parameters.ContainsKey("pcmk_host_map") => HostCheck.StaticList,
            _ => null,
        };
    }

    /// <summary>Whether a device's configuration already rules the target out (static list without it).</summary>
    public static bool StaticallyExcludes(IReadOnlyDictionary<string, string> parameters, string target)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (CheckOf(parameters) != HostCheck.StaticList)
        {
            return false;
        }
        var listed = HostMap.ParseTargets(parameters.GetValueOrDefault("pcmk_host_list"))
            .Any(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase));
        return !listed && !HostMap.Parse(parameters.GetValueOrDefault("pcmk_host_map")).ContainsKey(target);
    }

    private static IEnumerable<IEnumerable<Primitive>> Levels(ClusterConfiguration configuration, IReadOnlyList<Primitive> usable, string target)
    {
        var byId = usable.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var topology = configuration.FencingTopology.Where(l => Targets(configuration, l, target)).OrderBy(l => l.Index).ToList();
        if (topology.Count > 0)
        {
            // A level with a device that cannot be used from here, or that cannot fence the target, cannot succeed.
            return topology
                .Where(l => l.Devices.All(id => byId.TryGetValue(id, out var device) && !StaticallyExcludes(Parameters(device), target)))
                .Select(l => l.Devices.Select(id => byId[id]));
        }
        return usable
            .Where(d => !StaticallyExcludes(Parameters(d), target))
            .OrderByDescending(Priority)
            .Select(d => new[] { d });
    }

    private static bool Targets(ClusterConfiguration configuration, Model.Cluster.FencingLevel level, string target)
    {
        if (level.Target is { } name)
        {
            return string.Equals(name, target, StringComparison.OrdinalIgnoreCase);
        }
        if (level.TargetPattern is { } pattern)
        {
            try
            {
                return Regex.IsMatch(target, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
        if (level.TargetAttribute is { } attribute)
        {
            return configuration.FindNode(target) is { } node
                && node.Attributes.Resolve().GetValueOrDefault(attribute) == level.TargetValue;
        }
        return false;
    }

    private static int Priority(Primitive device) =>
        int.TryParse(device.UnconditionalMeta.Values.GetValueOrDefault(ResourceMeta.PriorityName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority) ? priority : 0;

    private static bool BannedOn(ClusterConfiguration configuration, string deviceId, string node) =>
        configuration.Constraints.OfType<LocationConstraint>().Any(c =>
            c.Resource == deviceId
            && c.Rules.IsEmpty
            && string.Equals(c.Node, node, StringComparison.OrdinalIgnoreCase)
            && c.Score is { IsMinusInfinity: true });

    private static IReadOnlyDictionary<string, string> Parameters(Primitive device) => device.Params.Resolve();

    private static FenceDeviceCall Call(Primitive device, string target, string action, Duration stonithTimeout)
    {
        var all = Parameters(device);
        var agentAction = all.GetValueOrDefault($"pcmk_{action}_action") ?? action;
        var hostArgument = all.GetValueOrDefault("pcmk_host_argument") ?? "port";
        var port = HostMap.Parse(all.GetValueOrDefault("pcmk_host_map")).GetValueOrDefault(target) ?? target;
        var check = CheckOf(all);
        var agentParameters = all
            .Where(p => !p.Key.StartsWith("pcmk_", StringComparison.Ordinal) && p.Key is not ("provides" or "stonith-timeout" or "action"))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var checkAction = check == HostCheck.Status ? "status" : "list";
        return new FenceDeviceCall(
            device.Id,
            device.Agent!.Type,
            agentAction,
            check,
            port,
            string.Equals(hostArgument, "none", StringComparison.OrdinalIgnoreCase) ? null : hostArgument,
            agentParameters,
            TimeoutMs(all, action, stonithTimeout),
            TimeoutMs(all, checkAction, stonithTimeout));
    }

    private static long TimeoutMs(IReadOnlyDictionary<string, string> parameters, string action, Duration fallback) =>
        Duration.TryParse(parameters.GetValueOrDefault($"pcmk_{action}_timeout"), out var timeout, out _) && timeout.Milliseconds > 0
            ? timeout.Milliseconds
            : fallback.Milliseconds;
}
