namespace Tandem.Lab;

/// <summary>
/// The technical note's cluster as far as the lab runs it with real agents. <see cref="Configuration"/>:
/// VIP1 (IPaddr2) in a group with the service, resource-stickiness 100 and migration-threshold 1.
/// <see cref="StackConfiguration"/>: the whole stack of the note, with Tandem's replicated volume in
/// DRBD's place. Fencing is off as in the note (`tandem verify` explains what that risks) unless the lab's
/// power switch is asked for.
/// </summary>
public static class SeedScenario
{
    /// <summary>The note's DRBD resource, mounted on the note's /opt/zimbra.</summary>
    public const string Volume = "optzimbra";

    public const string MountPoint = "/opt/zimbra";

    public const string VolumeSize = "64M";

    /// <summary>The group's members in start order: the file system first, then the address, then the service.</summary>
    public static readonly IReadOnlyList<string> StackGroup = ["zcs_fs", "VIP1", "zcs_service"];

    public static string Vip => LabLayout.FloatingAddress(0);

    public static string Configuration => $"""
        property stonith-enabled=false
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive VIP1 ocf:heartbeat:IPaddr2 params ip={Vip} cidr_netmask={LabLayout.PrefixLength} nic=eth0 op monitor interval=5s timeout=20s
        primitive zcs_service ocf:heartbeat:Dummy op monitor interval=10s timeout=20s
        group zcsgroup VIP1 zcs_service

        """;

    /// <summary>
    /// The seed's stack: the volume as a promotable clone (promoted-max 1, as the note's drbd_ms; without
    /// drbd_ms's notify=true, which DRBD's agent needs and ocf:tandem:volume does not: its monitor, start and
    /// demote keep the promotion score current, and each notification round costs a failover seconds), and the
    /// group zcsgroup (ext4 on /dev/tandem/VOLUME at /opt/zimbra, VIP1, the service) placed with the
    /// Promoted instance and started after the promotion. <paramref name="tandemPath"/> is the `tandem`
    /// the volume agent runs; <paramref name="powerFencing"/> fences through the lab's power switch
    /// (fence_tandemlab), so a lost node is powered off before its resources are recovered.
    /// </summary>
    public static string StackConfiguration(string tandemPath, string volume = Volume, bool powerFencing = false) => $"""
        {(powerFencing ? "property stonith-enabled=true\nproperty stonith-action=off" : "property stonith-enabled=false")}
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        {(powerFencing ? "primitive power stonith:fence_tandemlab params pcmk_host_list=\"astapor braavos\" op monitor interval=60s\n" : "")}primitive zcs_volume ocf:tandem:volume params volume={volume} tandem={tandemPath} op monitor interval=9s role=Promoted timeout=30s op monitor interval=11s role=Unpromoted timeout=30s
        clone optzimbra_ms zcs_volume meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1
        primitive zcs_fs ocf:heartbeat:Filesystem params device=/dev/tandem/{volume} directory={MountPoint} fstype=ext4 op monitor interval=20s timeout=40s
        primitive VIP1 ocf:heartbeat:IPaddr2 params ip={Vip} cidr_netmask={LabLayout.PrefixLength} nic=eth0 op monitor interval=5s timeout=20s
        primitive zcs_service ocf:heartbeat:Dummy op monitor interval=10s timeout=20s
        group zcsgroup zcs_fs VIP1 zcs_service
        colocation zcsgroup-with-optzimbra_ms-Promoted inf: zcsgroup optzimbra_ms:Promoted
        order optzimbra_ms-promote-before-zcsgroup Mandatory: optzimbra_ms:promote zcsgroup:start

        """;

    /// <summary>
    /// Makes the volume in a running lab, as the note's DRBD resource was made before the cluster took it
    /// over: defined on astapor and braavos, synced, ext4 made on it, and both replicas left up as
    /// Secondary for ocf:tandem:volume to promote.
    /// </summary>
    public static async Task<LabVolume> CreateVolumeAsync(LabController controller, string tandemPath, string volume, CancellationToken cancellationToken)
    {
        var lab = new LabVolume(controller, tandemPath, volume);
        await lab.CreateAsync(VolumeSize, ["astapor", "braavos"], cancellationToken).ConfigureAwait(false);
        await lab.FormatAsync("astapor", "ext4", null, cancellationToken).ConfigureAwait(false);
        await lab.DemoteAsync("astapor", cancellationToken).ConfigureAwait(false);
        return lab;
    }
}
