namespace Tandem.Lab;

/// <summary>
/// The technical note's cluster as far as the lab runs it with real agents: VIP1 (IPaddr2) in a group
/// with the service, resource-stickiness 100 and migration-threshold 1. Fencing is off as in the note;
/// `tandem verify` explains what that risks.
/// </summary>
public static class SeedScenario
{
    public static string Vip => LabLayout.FloatingAddress(0);

    public static string Configuration => $"""
        property stonith-enabled=false
        property no-quorum-policy=ignore
        rsc_defaults resource-stickiness=100 migration-threshold=1
        primitive VIP1 ocf:heartbeat:IPaddr2 params ip={Vip} cidr_netmask={LabLayout.PrefixLength} nic=eth0 op monitor interval=5s timeout=20s
        primitive zcs_service ocf:heartbeat:Dummy op monitor interval=10s timeout=20s
        group zcsgroup VIP1 zcs_service

        """;
}
