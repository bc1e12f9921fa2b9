namespace Tandem.Deployment.Doctor;

/// <summary>Packages, kernel features and services at boot.</summary>
public static class SystemChecks
{
    public static IEnumerable<CheckResult> Run(DoctorFacts facts)
    {
        yield return Packages(facts);
        yield return Kernel(facts.Kernel);
        yield return Boot(facts);
        yield return OtherClusterManagers(facts);
    }

    private static CheckResult Packages(DoctorFacts facts)
    {
        if (facts.InstalledPackages is not { } installed)
        {
            return CheckResult.Skipped("packages", $"dpkg is not available: check by hand that {string.Join(", ", facts.RequiredPackages)} are installed");
        }
        var missing = facts.RequiredPackages.Where(p => !installed.TryGetValue(p, out var version) || version is null).ToList();
        return missing.Count == 0
            ? CheckResult.Ok("packages", $"installed: {string.Join(", ", facts.RequiredPackages)}")
            : CheckResult.Failed("packages", $"missing: {string.Join(", ", missing)}", $"apt-get install {string.Join(' ', missing)}");
    }

    private static CheckResult Kernel(KernelFacts kernel)
    {
        var missing = new List<string>();
        var fixes = new List<string>();
        if (!kernel.FuseDevice || !kernel.FuseFilesystem)
        {
            missing.Add(kernel.FuseDevice ? "the fuse file system" : "/dev/fuse");
            fixes.Add("modprobe fuse");
        }
        if (!kernel.LoopControl)
        {
            missing.Add("/dev/loop-control");
            fixes.Add("modprobe loop");
        }
        return missing.Count == 0
            ? CheckResult.Ok("kernel", "/dev/fuse and loop devices are available (replicated volumes)")
            : CheckResult.Failed("kernel", $"missing {string.Join(" and ", missing)}: replicated volumes need them", $"{string.Join("; ", fixes)} (and add the modules to /etc/modules)");
    }

    /// <summary>
    /// The seed's lesson: corosync and pacemaker must not start by themselves at boot, before the cluster
    /// manager decides. With Tandem's units tandem.service starts corosync; corosync.service must not be
    /// enabled on its own, and pacemaker not at all.
    /// </summary>
    private static CheckResult Boot(DoctorFacts facts)
    {
        if (!facts.SystemdBooted)
        {
            return CheckResult.Skipped("boot", "systemd is not this machine's init: nothing is started at boot through its units");
        }
        var selfStarting = facts.EnabledUnits.Where(u => u is "corosync.service" or "pacemaker.service" or "corosync-qdevice.service").ToList();
        return selfStarting.Count == 0
            ? CheckResult.Ok("boot", "corosync and pacemaker do not start by themselves at boot")
            : CheckResult.Failed("boot", $"{string.Join(", ", selfStarting)} start{(selfStarting.Count == 1 ? "s" : "")} at boot by {(selfStarting.Count == 1 ? "itself" : "themselves")}: a rebooted node would rejoin before Tandem decides", $"systemctl disable {string.Join(' ', selfStarting)} (tandem.service starts corosync when the cluster starts)");
    }

    private static CheckResult OtherClusterManagers(DoctorFacts facts)
    {
        var running = facts.RunningProcesses.Where(p => p is "pacemakerd" or "pacemaker-controld" or "crmd" or "heartbeat").Distinct().ToList();
        return running.Count == 0
            ? CheckResult.Ok("managers", "no other cluster manager runs")
            : CheckResult.Failed("managers", $"{string.Join(", ", running)} running: two cluster managers would fight over the resources", "systemctl disable --now pacemaker.service");
    }
}
