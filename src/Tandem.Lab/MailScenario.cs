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

    /// <summary>Room for tens of thousands of small messages (a Maildir file takes a 4 KiB block and an inode each).</summary>
    public const string VolumeSize = "256M";

    /// <summary>The owner of the Maildirs (Postfix's virtual delivery and Dovecot's userdb agree on it).</summary>
    public const int MailUid = 5000;

    /// <summary>Test mailboxes and their IMAP passwords.</summary>
    public static IReadOnlyList<(string User, string Password)> Users { get; } =
    [
        ("arya", "needle"),
        ("jon", "ghost"),
        ("sansa", "lady"),
    ];

    /// <summary>
    /// Directories bound over the host's in every node of the scenario (mount point, machine sub-directory).
    /// Not /opt/zimbra: the Filesystem agent would take a bind mount there for its own mount (its probe
    /// matches the mount point), and its stop would kill every process using the file system under it.
    /// </summary>
    public static IReadOnlyList<(string MountPoint, string Dir)> PrivateDirs { get; } =
    [
        ("/etc/postfix", "etc-postfix"),
        ("/etc/dovecot", "etc-dovecot"),
        ("/var/spool/postfix", "var-spool-postfix"),
        ("/var/lib/postfix", "var-lib-postfix"),
        ("/var/lib/dovecot", "var-lib-dovecot"),
        (TandemAgentsDir, "ocf-tandem"),
    ];

    /// <summary>Where resource-agents looks for ocf:tandem:* agents.</summary>
    public const string TandemAgentsDir = "/usr/lib/ocf/resource.d/tandem";

    /// <summary>
    /// Writes a node's Postfix and Dovecot configuration and its ocf:tandem agents into its machine
    /// directory, before it boots. Postfix's own files (master.cf, postfix-files, dynamicmaps.cf) come from the host's package.
    /// </summary>
    public static void PrepareMachine(string machineDir, string tandemPath)
    {
        // The nodes run the ocf:tandem agents of the build the lab runs: from its source tree when the
        // tandem binary lives in one (a developer's or CI's build), else the installed ones.
        CopyTree(SourceAgentsDir(tandemPath) ?? TandemAgentsDir, Path.Combine(machineDir, "ocf-tandem"));

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
    /// The shell commands that lay out a fresh store on the file system mounted at "$1": the Maildir root
    /// for the virtual delivery agent and the Postfix queue directory (Postfix makes its sub-directories
    /// with their owners when it starts).
    /// </summary>
    public static string PopulateStoreScript() => $"""
        set -e
        mkdir -p "$1/{Path.GetFileName(MaildirRoot)}" "$1/{Path.GetFileName(QueueDir)}"
        chown {MailUid}:{MailUid} "$1/{Path.GetFileName(MaildirRoot)}"
        """;

    /// <summary>
    /// Sets the scenario up in a lab whose cluster has formed: the nodes' service state; the volume
    /// optzimbra on the first two nodes, synced, with ext4 and the store laid out on it, handed back as
    /// Secondary on both; the cluster configuration (<see cref="ConfigurationText"/>) written to mail.crm
    /// in the lab's directory and loaded with `tandem config load`; returns once SMTP and
    /// IMAP answer on VIP1 from the client namespace, which is when the cluster has promoted the volume,
    /// mounted it and started the services.
    /// </summary>
    public static async Task SetUpAsync(LabController controller, LabState state, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var node in state.Nodes)
        {
            await CheckAsync(controller, node.Name, ["bash", "-c", PrepareNodeScript()], "preparing Postfix and Dovecot", cancellationToken).ConfigureAwait(false);
        }
        string[] replicas = [state.Nodes[0].Name, state.Nodes[1].Name];
        progress($"volume {VolumeName} on {replicas[0]} and {replicas[1]} ({VolumeSize}, initial sync)");
        var volume = new LabVolume(controller, state.TandemPath, VolumeName);
        await volume.CreateAsync(VolumeSize, replicas, cancellationToken).ConfigureAwait(false);
        progress($"ext4 on {VolumeDevice}, mail store laid out");
        await volume.FormatAsync(replicas[0], "ext4", PopulateStoreScript(), cancellationToken).ConfigureAwait(false);
        await volume.DemoteAsync(replicas[0], cancellationToken).ConfigureAwait(false);

        progress("tandem config load mail.crm");
        await LoadConfigurationAsync(controller, weakened: false, cancellationToken).ConfigureAwait(false);
        progress($"waiting for SMTP and IMAP on VIP1 {VipAddress}");
        await WaitForServiceAsync(controller, ServiceTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the scenario's cluster configuration (or its weakened variant) next to the lab's state and
    /// loads it with `tandem config load` on the first running node.
    /// </summary>
    public static async Task LoadConfigurationAsync(LabController controller, bool weakened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var state = controller.Load();
        var file = Path.Combine(controller.Layout.Root, weakened ? "mail-weakened.crm" : "mail.crm");
        await File.WriteAllTextAsync(file, ConfigurationText([.. state.Nodes.Select(n => n.Name)], state.TandemPath, weakened), cancellationToken).ConfigureAwait(false);
        var node = state.Nodes.FirstOrDefault(n => n.Powered) ?? throw new LabException("no node of the lab is running");
        await CheckAsync(controller, node.Name, [state.TandemPath, "config", "load", file], "tandem config load", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bound on the cluster's first start of the stack (promotion, mount, Postfix, Dovecot); a liveness bound.</summary>
    public static readonly TimeSpan ServiceTimeout = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Whether SMTP (220 greeting) and IMAP ("* OK" greeting) both answer on VIP1, as the client namespace
    /// reaches it.
    /// </summary>
    public static async Task<bool> ServiceAnswersAsync(LabController controller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var probe = await controller.RunClientAsync(["bash", "-c", GreetingProbeScript], TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        return probe.Succeeded;
    }

    /// <summary>Polls <see cref="ServiceAnswersAsync"/> until it holds; a LabException after <paramref name="timeout"/>.</summary>
    public static async Task WaitForServiceAsync(LabController controller, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!await ServiceAnswersAsync(controller, cancellationToken).ConfigureAwait(false))
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new LabException($"the mail service did not answer on {VipAddress} within {timeout.TotalSeconds:0} s (see 'tandem lab exec NODE -- tandem status')");
            }
            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }

    // bash's /dev/tcp: the client namespace has no nc; each greeting must come within 5 s.
    private const string GreetingProbeScript = $$"""
        set -e
        exec 3<>/dev/tcp/{{VipAddress}}/25
        read -t 5 -r smtp <&3
        case "$smtp" in 220*) ;; *) exit 1 ;; esac
        printf 'QUIT\r\n' >&3
        exec 3>&-
        exec 4<>/dev/tcp/{{VipAddress}}/143
        read -t 5 -r imap <&4
        case "$imap" in '* OK'*) ;; *) exit 1 ;; esac
        printf 'a LOGOUT\r\n' >&4
        """;

    private static async Task CheckAsync(LabController controller, string node, IReadOnlyList<string> command, string what, CancellationToken cancellationToken)
    {
        var result = await controller.RunAsync(node, command, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LabException($"{what} on {node} failed: {result.FirstErrorLine}");
        }
    }

    /// <summary>
    /// The cluster configuration of the scenario, shaped as the seed's zcsgroup: the volume promotable
    /// on both nodes; VIP1 with the promoted replica and started before promotion; the file system and
    /// the services grouped after the promotion. Fencing powers a lost node off through the lab's power
    /// switch (fence_tandemlab) before its resources are recovered, and a partition without quorum stops
    /// its resources. <paramref name="weakened"/> turns both off (no fencing, no-quorum-policy=ignore):
    /// the configuration whose cost the chaos run shows.
    /// </summary>
    public static string ConfigurationText(IReadOnlyList<string> nodes, string tandemPath, bool weakened = false)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        // No node entries: the cluster learns its nodes (and their ids) from the membership.
        var text = new StringBuilder();
        text.Append(weakened
            ? "property stonith-enabled=false no-quorum-policy=ignore\n"
            : "property stonith-enabled=true stonith-action=off no-quorum-policy=stop\n"
              + "primitive power stonith:fence_tandemlab params pcmk_host_list=\"" + string.Join(' ', nodes) + "\" op monitor interval=60s\n");
        text.Append(CultureInfo.InvariantCulture, $"""
            rsc_defaults resource-stickiness=100 migration-threshold=1
            primitive VIP1 ocf:heartbeat:IPaddr2 params ip={VipAddress} cidr_netmask={LabLayout.PrefixLength} nic=eth0 iflabel=VIP1 op monitor interval=10s timeout=20s
            primitive {VolumeName} ocf:tandem:volume params volume={VolumeName} tandem={tandemPath} op monitor role=Promoted interval=10s timeout=20s op monitor role=Unpromoted interval=20s timeout=20s
            clone {VolumeName}_ms {VolumeName} meta promotable=true promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1
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

    /// <summary>agents/ocf/tandem of the source tree above the tandem binary, or null when it is not in one.</summary>
    private static string? SourceAgentsDir(string tandemPath)
    {
        for (var dir = new FileInfo(tandemPath).Directory; dir is not null; dir = dir.Parent)
        {
            var agents = Path.Combine(dir.FullName, "agents", "ocf", "tandem");
            if (File.Exists(Path.Combine(agents, "volume")))
            {
                return agents;
            }
        }
        return null;
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
