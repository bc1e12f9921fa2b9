namespace Tandem.Deployment.Cluster;

/// <summary>
/// Where a node keeps the cluster's configuration and secrets. <see cref="Root"/> is "/" on a server;
/// tests give a directory of their own.
/// </summary>
public sealed record ClusterPaths(string Root)
{
    public static readonly ClusterPaths System = new("/");

    private string Under(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string CorosyncDir => Under("/etc/corosync");
    public string CorosyncConf => Path.Combine(CorosyncDir, "corosync.conf");
    public string AuthKey => Path.Combine(CorosyncDir, "authkey");
    public string CorosyncStateDir => Under("/var/lib/corosync");

    public string EtcDir => Under("/etc/tandem");
    public string ClusterFile => Path.Combine(EtcDir, "cluster.json");
    public string ClusterSecret => Path.Combine(EtcDir, "cluster.secret");
    public string TlsDir => Path.Combine(EtcDir, "tls");
    public string CaCertificate => Path.Combine(TlsDir, "ca.crt");
    public string CaKey => Path.Combine(TlsDir, "ca.key");
    public string NodeCertificate => Path.Combine(TlsDir, "node.crt");
    public string NodeKey => Path.Combine(TlsDir, "node.key");
    public string VolumesDir => Path.Combine(EtcDir, "volumes");

    public string StateDir => Under("/var/lib/tandem");
    public string JoinTokens => Path.Combine(StateDir, "join-tokens.json");
    public string ConfigStore => Path.Combine(StateDir, "config.json");

    public string LogDir => Under("/var/log/tandem");
    public string RunDir => Under("/run/tandem");
    public string SystemdUnitDir => Under("/etc/systemd/system");

    /// <summary>The files `tandem cluster setup/join` create and `tandem cluster destroy` removes (volume data never).</summary>
    public IEnumerable<string> OwnedFiles =>
        [CorosyncConf, AuthKey, ClusterFile, ClusterSecret, CaCertificate, CaKey, NodeCertificate, NodeKey, JoinTokens];

    public bool Configured => File.Exists(ClusterFile) || File.Exists(CorosyncConf);
}
