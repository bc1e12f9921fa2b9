using System.Globalization;
using System.Text;

namespace Tandem.Lab;

/// <summary>
/// The lab's mail scenario: Debian's Postfix (SMTP) and Dovecot (IMAP) in every node, run by the real
/// ocf:heartbeat:postfix and ocf:heartbeat:dovecot agents, with the queue and the Maildirs on
/// /opt/zimbra (the replicated volume's mount point, as in the seed), behind the floating address VIP1.
/// Each node gets its own /etc/postfix, /etc/dovecot and service state; only /opt/zimbra moves.
/// </summary>
public static class MailScenario
{
    public const string Name = "mail";
    public const string Domain = "lab.test";
    public const string VipAddress = LabLayout.Subnet + ".100";
    public const string StoreDir = "/opt/zimbra";
    public const string QueueDir = StoreDir + "/postfix-spool";
    public const string MaildirRoot = StoreDir + "/mail";
    public const string VolumeName = "optzimbra";
    public const string VolumeDevice = "/dev/tandem/" + VolumeName;

    /// <summary>The owner of the Maildirs (Postfix's virtual delivery and Dovecot's userdb agree on it).</summary>
    public const int MailUid = 5000;

    /// <summary>Test mailboxes and their IMAP passwords.</summary>
    public static IReadOnlyList<(string User, string Password)> Users { get; } =
    [
        ("arya", "needle"),
        ("jon", "ghost"),
        ("sansa", "lady"),
    ];

    /// <summary>Directories bound over the host's in every node of the scenario (mount point, machine sub-directory).</summary>
    public static IReadOnlyList<(string MountPoint, string Dir)> PrivateDirs { get; } =
    [
        ("/etc/postfix", "etc-postfix"),
        ("/etc/dovecot", "etc-dovecot"),
        ("/var/spool/postfix", "var-spool-postfix"),
        ("/var/lib/postfix", "var-lib-postfix"),
        ("/var/lib/dovecot", "var-lib-dovecot"),
        (StoreDir, "opt-zimbra"),
    ];

    /// <summary>
    /// Writes a node's Postfix and Dovecot configuration into its machine directory, before it boots.
    /// Postfix's own files (master.cf, postfix-files, dynamicmaps.cf) come from the host's package.
    /// </summary>
    public static void PrepareMachine(string machineDir)
    {
        var postfix = Path.Combine(machineDir, "etc-postfix");
        CopyTree("/etc/postfix", postfix);
        File.WriteAllText(Path.Combine(postfix, "main.cf"), PostfixMainCf());
        File.WriteAllText(Path.Combine(postfix, "master.cf"), ForTheLab(File.ReadAllText("/etc/postfix/master.cf")));
        File.WriteAllText(Path.Combine(postfix, "vmailbox"), string.Concat(Users.Select(u => $"{u.User}@{Domain} {u.User}/\n")));

        var dovecot = Path.Combine(machineDir, "etc-dovecot");
        Directory.CreateDirectory(dovecot);
        File.WriteAllText(Path.Combine(dovecot, "dovecot.conf"), DovecotConf());
        var users = Path.Combine(dovecot, "users");
        File.WriteAllText(users, string.Concat(Users.Select(u => $"{u.User}:{{PLAIN}}{u.Password}\n")));
        File.SetUnixFileMode(users, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }

    public static string PostfixMainCf() => $"""
        # Written by 'tandem lab up --scenario mail'. Mail for {Domain} goes to Maildirs on the replicated
        # store; the queue lives there too, so mail accepted before a failover is delivered after it.
        compatibility_level = 3.6
        myhostname = mail.{Domain}
        mydomain = {Domain}
        myorigin = $mydomain
        mydestination =
        # smtpd itself listens on the VIP only (master.cf); 'all' keeps Postfix's tools working on a node
        # without the VIP (postqueue, postsuper and postfix check refuse to run when an interface is missing).
        inet_interfaces = all
        inet_protocols = ipv4
        mynetworks = {LabLayout.Subnet}.0/{LabLayout.PrefixLength} 127.0.0.0/8
        smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
        queue_directory = {QueueDir}
        data_directory = /var/lib/postfix
        maillog_file = /var/log/tandem/postfix.log
        alias_maps =
        alias_database =
        local_recipient_maps =
        virtual_mailbox_domains = {Domain}
        virtual_mailbox_base = {MaildirRoot}
        virtual_mailbox_maps = texthash:/etc/postfix/vmailbox
        virtual_minimum_uid = {MailUid}
        virtual_uid_maps = static:{MailUid}
        virtual_gid_maps = static:{MailUid}
        biff = no
        smtputf8_enable = no

        """;

    public static string DovecotConf() => $$"""
        # Written by 'tandem lab up --scenario mail': IMAP on the floating address, Maildirs on the store.
        protocols = imap
        listen = {{VipAddress}}
        base_dir = /run/dovecot
        state_dir = /var/lib/dovecot
        log_path = /var/log/tandem/dovecot.log
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain
        first_valid_uid = {{MailUid}}
        mail_location = maildir:{{MaildirRoot}}/%n
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%n /etc/dovecot/users
        }
        userdb {
          driver = static
          args = uid={{MailUid}} gid={{MailUid}} home={{MaildirRoot}}/%n
        }

        """;

    /// <summary>
    /// The shell commands that give a node's private service state the owners Debian's packages give it
    /// (the lab creates those directories as root; Postfix's agent checks its data directory is writable,
    /// and Dovecot's auth process reads the passwd-file as the dovecot group).
    /// </summary>
    public static string PrepareNodeScript() => """
        set -e
        chown postfix:postfix /var/lib/postfix
        chown root:dovecot /etc/dovecot/users
        """;

    /// <summary>
    /// The shell commands that lay out a fresh store (run inside a node on the mounted file system):
    /// the Maildir root for the virtual delivery agent and the Postfix queue with its sub-directories.
    /// </summary>
    public static string PrepareStoreScript() => $"""
        set -e
        mkdir -p {MaildirRoot} {QueueDir}
        chown {MailUid}:{MailUid} {MaildirRoot}
        postfix check
        """;

    /// <summary>
    /// The cluster configuration of the scenario, shaped as the seed's zcsgroup: the volume promotable
    /// on both nodes; VIP1 with the promoted replica and started before promotion; the file system and
    /// the services grouped after the promotion.
    /// </summary>
    public static string ConfigurationText(IEnumerable<string> nodes, string tandemPath)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"node {node}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"""
            property stonith-enabled=false no-quorum-policy=ignore
            rsc_defaults resource-stickiness=100 migration-threshold=1
            primitive VIP1 ocf:heartbeat:IPaddr2 params ip={VipAddress} cidr_netmask={LabLayout.PrefixLength} nic=eth0 iflabel=VIP1 op monitor interval=10s timeout=20s
            primitive {VolumeName} ocf:tandem:volume params volume={VolumeName} tandem={tandemPath} op monitor role=Promoted interval=10s timeout=20s op monitor role=Unpromoted interval=20s timeout=20s
            clone {VolumeName}_ms {VolumeName} meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1 notify=true
            primitive mail_fs ocf:heartbeat:Filesystem params device={VolumeDevice} directory={StoreDir} fstype=ext4 op monitor interval=20s timeout=40s op start timeout=60s op stop timeout=60s
            primitive mail_smtp ocf:heartbeat:postfix op monitor interval=10s timeout=20s op start timeout=60s op stop timeout=60s
            primitive mail_imap ocf:heartbeat:dovecot op monitor interval=10s timeout=20s op start timeout=60s op stop timeout=60s
            group mailgroup mail_fs mail_smtp mail_imap
            colocation VIP1-with-{VolumeName}-promoted inf: VIP1 {VolumeName}_ms:Promoted
            colocation mailgroup-with-{VolumeName}-promoted inf: mailgroup {VolumeName}_ms:Promoted
            order VIP1-before-{VolumeName}-promote inf: VIP1:start {VolumeName}_ms:promote
            order {VolumeName}-promote-before-mailgroup inf: {VolumeName}_ms:promote mailgroup:start

            """);
        return text.ToString();
    }

    /// <summary>
    /// Debian's master.cf with the SMTP server bound to the VIP, and no service chrooted (Debian chroots
    /// several into the queue directory; the queue moves with the volume, the chroot's files would not).
    /// </summary>
    public static string ForTheLab(string masterCf)
    {
        var lines = masterCf.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line[0] == '#')
            {
                continue;
            }
            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8)
            {
                continue;
            }
            if (fields[4] is "y" or "-")
            {
                fields[4] = "n";
            }
            if (fields[0] == "smtp" && fields[1] == "inet")
            {
                fields[0] = $"{VipAddress}:smtp";
            }
            lines[i] = string.Join(' ', fields);
        }
        return string.Join('\n', lines);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}
