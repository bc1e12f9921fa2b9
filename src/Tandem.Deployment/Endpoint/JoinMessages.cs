namespace Tandem.Deployment.Endpoint;

/// <summary>POST /v1/join: the joining node's name, the token's secret, and its certificate signing request.</summary>
public sealed record JoinRequest(string Node, string Secret, string CertificateRequest);

/// <summary>
/// What a joining node installs: the cluster file, corosync.conf and authkey, the cluster secret, the
/// authority's certificate and the node's own certificate (its key never left it).
/// </summary>
public sealed record JoinBundle(
    string ClusterFile,
    string CorosyncConf,
    string AuthKey,
    string ClusterSecret,
    string CaCertificate,
    string NodeCertificate);

/// <summary>An error answer: one line naming the problem.</summary>
public sealed record EndpointError(string Error);
