using Tandem.Scheduler.Common;
using Tandem.Scheduler.Working;

namespace Tandem.Scheduler.Unpack;

/// <summary>
/// The cluster options the scheduler reads, with Pacemaker's defaults and validity checks: an invalid
/// value is replaced by the default, so the table always holds a usable value for every option.
/// </summary>
internal static class ClusterOptions
{
    public const string BootstrapSetId = "cib-bootstrap-options";

    private sealed record Option(string Name, string Default, Func<string, bool> IsValid);

    private static readonly Option[] Options =
    [
        new("no-quorum-policy", "stop", v => IsOneOf(v, "stop", "freeze", "ignore", "demote", "suicide")),
        new("symmetric-cluster", "true", IsBoolean),
        new("maintenance-mode", "false", IsBoolean),
        new("start-failure-is-fatal", "true", IsBoolean),
        new("enable-startup-probes", "true", IsBoolean),
        new("shutdown-lock", "false", IsBoolean),
        new("shutdown-lock-limit", "0", IsInterval),
        new("stonith-enabled", "true", IsBoolean),
        new("stonith-action", "reboot", v => IsOneOf(v, "reboot", "off", "poweroff")),
        new("stonith-timeout", "60s", IsInterval),
        new("have-watchdog", "false", IsBoolean),
        new("concurrent-fencing", "false", IsBoolean),
        new("startup-fencing", "true", IsBoolean),
        new("priority-fencing-delay", "0", IsInterval),
        new("cluster-delay", "60s", IsInterval),
        new("batch-limit", "0", IsNumber),
        new("migration-limit", "-1", IsNumber),
        new("stop-all-resources", "false", IsBoolean),
        new("stop-orphan-resources", "true", IsBoolean),
        new("stop-orphan-actions", "true", IsBoolean),
        new("remove-after-stop", "false", IsBoolean),
        new("pe-error-series-max", "-1", IsNumber),
        new("pe-warn-series-max", "5000", IsNumber),
        new("pe-input-series-max", "4000", IsNumber),
        new("node-health-strategy", "none", v => IsOneOf(v, "none", "migrate-on-red", "only-green", "progressive", "custom")),
        new("node-health-base", "0", IsNumber),
        new("node-health-green", "0", IsNumber),
        new("node-health-yellow", "0", IsNumber),
        new("node-health-red", "-INFINITY", IsNumber),
        new("placement-strategy", "default", v => IsOneOf(v, "default", "utilization", "minimal", "balanced")),
    ];

    /// <summary>Replaces invalid values by defaults and adds defaults for missing options.</summary>
    public static void ApplyDefaults(Dictionary<string, string> options)
    {
        foreach (var option in Options)
        {
            if (!options.TryGetValue(option.Name, out var value) || !option.IsValid(value))
            {
                options[option.Name] = option.Default;
            }
        }
    }

    /// <summary>Sets the working-set flags and settings the options stand for (unpack_config).</summary>
    public static void Apply(WorkingSet ws, IReadOnlyDictionary<string, string> options, bool quorumPanic)
    {
        SetFlag(ws, options, "enable-startup-probes", ClusterFlags.StartupProbes);
        if (PcmkText.IsTrue(options["have-watchdog"]))
        {
            ws.Set(ClusterFlags.HaveStonithResource);
        }
        SetFlag(ws, options, "stonith-enabled", ClusterFlags.StonithEnabled);
        ws.StonithAction = options["stonith-action"] == "poweroff" ? "off" : options["stonith-action"];
        SetFlag(ws, options, "concurrent-fencing", ClusterFlags.ConcurrentFencing);
        ws.PriorityFencingDelay = (int)(PcmkText.ParseIntervalMs(options["priority-fencing-delay"]) / 1000);
        SetFlag(ws, options, "stop-all-resources", ClusterFlags.StopEverything);
        SetFlag(ws, options, "symmetric-cluster", ClusterFlags.SymmetricCluster);

        ws.NoQuorumPolicy = options["no-quorum-policy"].ToLowerInvariant() switch
        {
            "ignore" => NoQuorumPolicy.Ignore,
            "freeze" => NoQuorumPolicy.Freeze,
            "demote" => NoQuorumPolicy.Demote,
            "suicide" when ws.Is(ClusterFlags.StonithEnabled) && (quorumPanic || ws.Is(ClusterFlags.HaveQuorum)) => NoQuorumPolicy.Suicide,
            _ => NoQuorumPolicy.Stop,
        };

        SetFlag(ws, options, "stop-orphan-resources", ClusterFlags.StopRscOrphans);
        SetFlag(ws, options, "stop-orphan-actions", ClusterFlags.StopActionOrphans);
        SetFlag(ws, options, "remove-after-stop", ClusterFlags.RemoveAfterStop);
        SetFlag(ws, options, "maintenance-mode", ClusterFlags.MaintenanceMode);
        SetFlag(ws, options, "start-failure-is-fatal", ClusterFlags.StartFailureFatal);
        if (ws.Is(ClusterFlags.StonithEnabled))
        {
            SetFlag(ws, options, "startup-fencing", ClusterFlags.StartupFencing);
        }
        UnpackHealthScores(ws, options);
        ws.PlacementStrategy = options["placement-strategy"];
        SetFlag(ws, options, "shutdown-lock", ClusterFlags.ShutdownLock);
        if (ws.Is(ClusterFlags.ShutdownLock))
        {
            ws.ShutdownLockSeconds = PcmkText.ParseIntervalMs(options["shutdown-lock-limit"]) / 1000;
        }
    }

    /// <summary>The node health strategy in force (none when unset or invalid).</summary>
    public static string HealthStrategy(IReadOnlyDictionary<string, string> options) =>
        options.GetValueOrDefault("node-health-strategy", "none").ToLowerInvariant();

    private static void UnpackHealthScores(WorkingSet ws, IReadOnlyDictionary<string, string> options)
    {
        switch (HealthStrategy(options))
        {
            case "none":
                (ws.NodeHealthRed, ws.NodeHealthYellow, ws.NodeHealthGreen) = (0, 0, 0);
                break;
            case "migrate-on-red":
                (ws.NodeHealthRed, ws.NodeHealthYellow, ws.NodeHealthGreen) = (-Scores.Infinity, 0, 0);
                break;
            case "only-green":
                (ws.NodeHealthRed, ws.NodeHealthYellow, ws.NodeHealthGreen) = (-Scores.Infinity, -Scores.Infinity, 0);
                break;
            default:
                // Progressive and custom read the configured values, which are numbers (never colors).
                ws.NodeHealthRed = Scores.Parse(options["node-health-red"]);
                ws.NodeHealthGreen = Scores.Parse(options["node-health-green"]);
                ws.NodeHealthYellow = Scores.Parse(options["node-health-yellow"]);
                break;
        }
    }

    private static void SetFlag(WorkingSet ws, IReadOnlyDictionary<string, string> options, string name, ClusterFlags flag)
    {
        if (PcmkText.IsTrue(options[name]))
        {
            ws.Set(flag);
        }
        else
        {
            ws.Clear(flag);
        }
    }

    private static bool IsOneOf(string value, params string[] allowed) =>
        allowed.Any(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));

    private static bool IsBoolean(string value) => PcmkText.TryParseBool(value, out _);

    private static bool IsInterval(string value) => PcmkText.GetMsec(value) >= 0 || value.StartsWith('P');

    private static bool IsNumber(string value) =>
        value is "INFINITY" or "+INFINITY" or "-INFINITY"
        || long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);
}
