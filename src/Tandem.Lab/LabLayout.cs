namespace Tandem.Lab;

/// <summary>
/// Names and paths of one lab. Every namespace carries the prefix <c>tl-NAME-</c>, so labs with
/// different names never collide, and a lab's leftovers are recognisable by name.
/// Inside the lab the subnet is private to the lab's own switch namespace, so every lab can use it.
/// </summary>
public sealed class LabLayout(string name)
{
    public const string StateRoot = "/var/lib/tandem-lab";
    public const string Subnet = "10.77.0";
    public const int PrefixLength = 24;

    public string Name { get; } = name;
    public string Root => Path.Combine(StateRoot, Name);
    public string StateFile => Path.Combine(Root, "lab.json");
    public string LockFile => Path.Combine(Root, "lock");
    public string HostsFile => Path.Combine(Root, "hosts");
    public string AuthKeyFile => Path.Combine(Root, "authkey");
    public string CorosyncConfFile => Path.Combine(Root, "corosync.conf");

    public string NamespacePrefix => $"tl-{Name}-";
    public string SwitchNamespace => NamespacePrefix + "sw";
    public string ClientNamespace => NamespacePrefix + "client";
    public string ArbiterNamespace => NamespacePrefix + "arbiter";
    public string NodeNamespace(string node) => NamespacePrefix + node;

    public string MachineDir(string machine) => Path.Combine(Root, "machines", machine);
    public string LogDir(string machine) => Path.Combine(MachineDir(machine), "log");

    /// <summary>A machine's own /etc/hosts (a copy of the lab's, so a test can break one machine's view).</summary>
    public string MachineHostsFile(string machine) => Path.Combine(MachineDir(machine), "hosts");

    public static string NodeAddress(int index) => $"{Subnet}.{10 + index}";
    public static string ClientAddress => $"{Subnet}.2";
    public static string ArbiterAddress => $"{Subnet}.3";

    /// <summary>Addresses for floating IPs (VIP1 is the first); no machine of the lab is given one.</summary>
    public static string FloatingAddress(int index) => $"{Subnet}.{100 + index}";

    /// <summary>The switch port of a machine (an interface name inside the switch namespace, at most 15 characters).</summary>
    public static string SwitchPort(string machine, int index) => machine switch
    {
        "client" => "pclient",
        "arbiter" => "parbiter",
        _ => $"p{index}",
    };
}
