namespace Tandem.Model.Tests.Seed;

/// <summary>
/// The configuration of the seed study (technical note, section 6: a two-node Zimbra cluster on DRBD),
/// as crm text, with its typo fixed ("dbrb_ms" for drbd_ms in the second order). The nodes are the
/// note's astapor and braavos, which crm lists as node statements.
/// </summary>
internal static class SeedConfiguration
{
    public const string Text = """
        node astapor
        node braavos
        property cib-bootstrap-options: \
            stonith-enabled=false \
            no-quorum-policy=ignore \
            migration-threshold=1 \
            resource-stickiness=100
        primitive VIP1 IPaddr2 \
            params ip=172.17.18.190 broadcast=172.17.18.255 nic=eth0 cidr_netmask=24 iflabel=VIP1 \
            op monitor interval=30s timeout=30s
        primitive drbd ocf:linbit:drbd \
            params drbd_resource=optzimbra \
            op monitor role=Master interval=60s \
            op monitor role=Slave interval=50s \
            op start role=Master interval=60s timeout=240s \
            op start role=Slave interval=0s timeout=240s \
            op stop role=Master interval=60s timeout=100s \
            op stop role=Slave interval=0s timeout=100s
        ms drbd_ms drbd \
            meta master-max=1 master-node-max=1 \
            clone-max=2 clone-node-max=1 notify=true
        primitive zcs_service ocf:btactic:zimbra \
            op monitor interval=2min timeout="40s" \
            op start interval="0" timeout="360s" \
            op stop interval="0" timeout="360s"
        primitive zcs_fs ocf:heartbeat:Filesystem params \
            device="/dev/drbd0" directory="/opt/zimbra" fstype=ext4 \
            op start interval=0 timeout=60s \
            op stop interval="0" timeout="60"
        group zcsgroup zcs_fs zcs_service
        colocation VIP1-with-drbd_ms-Master inf: drbd_ms:Master VIP1
        colocation drbd_ms-Master-with-zcs_fs inf: zcs_fs drbd_ms:Master
        colocation zcs_fs-with-zcs_service inf: zcs_service zcs_fs
        order drbd_ms-promote-on-VIP1 inf: VIP1:start drbd_ms:promote
        order zcs_fs-on-dbrb_ms-promote inf: drbd_ms:promote zcs_fs:start
        order zcs_service-on-zcs_fs inf: zcs_fs:start zcs_service:start
        """;
}
