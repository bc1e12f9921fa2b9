using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tandem.Corosync;
using Tandem.Deployment.Services;

namespace Tandem.Deployment.Cluster;

/// <summary>What `tandem cluster setup` did: a token per other node, and who runs the services.</summary>
public sealed record SetupResult(IReadOnlyList<JoinToken> Tokens, string ServiceManager);

/// <summary>
/// `tandem cluster setup` on the first node: writes corosync.conf and the authkey, the cluster secret,
/// the cluster's certificate authority and this node's certificate, starts the services, and issues a
/// one-time join token for each other node.
/// </summary>
public sealed class ClusterSetup(ClusterPaths paths, IServiceManager services, TimeProvider time)
{
    /// <summary>Sets up the cluster of a plan (<see cref="ClusterPlan.Make"/>) on its first node.</summary>
    public async Task<SetupResult> RunAsync(ClusterSpec spec, CancellationToken cancellationToken)
    {
        RefuseIfConfigured(paths);
        var self = spec.Node(spec.FirstNode);
        var now = time.GetUtcNow();

        ClusterFiles.WritePublic(paths.CorosyncConf, spec.ToCorosync().Render());
        ClusterFiles.WriteAuthKey(paths.AuthKey, RandomNumberGenerator.GetBytes(256));
        ClusterFiles.WriteSecret(paths.ClusterSecret, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");
        using var authority = ClusterCertificates.CreateAuthority(spec.Name, now);
        ClusterFiles.WritePublic(paths.CaCertificate, authority.ExportCertificatePem());
        ClusterFiles.WriteSecret(paths.CaKey, authority.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var (key, request) = ClusterCertificates.CreateRequest(self.Name);
        using (key)
        {
            using var certificate = ClusterCertificates.Issue(authority, request, self, now);
            ClusterFiles.WriteSecret(paths.NodeKey, key.ExportPkcs8PrivateKeyPem());
            ClusterFiles.WritePublic(paths.NodeCertificate, certificate.ExportCertificatePem());
            var fingerprint = ClusterCertificates.Fingerprint(certificate);
            var store = new JoinTokenStore(paths.JoinTokens, time);
            var tokens = spec.Nodes.Where(n => n != self).Select(n => store.Issue(n.Name, spec.EndpointPort, fingerprint)).ToList();
            // Written last: its presence means "this node is configured".
            ClusterFiles.WritePublic(paths.ClusterFile, spec.Serialize());

            await services.InstallAsync(cancellationToken).ConfigureAwait(false);
            await services.StartAsync(spec.Quorum == QuorumMode.QDevice, cancellationToken).ConfigureAwait(false);
            await WaitForEndpointAsync(self, spec.EndpointPort, paths, cancellationToken).ConfigureAwait(false);
            return new SetupResult(tokens, services.Name);
        }
    }

    public static void RefuseIfConfigured(ClusterPaths paths)
    {
        if (!paths.Configured)
        {
            return;
        }
        var name = File.Exists(paths.ClusterFile) ? $"cluster {ClusterSpec.Load(paths).Name}" : $"a corosync cluster ({paths.CorosyncConf} exists)";
        throw new DeploymentException($"this node already belongs to {name}: 'tandem cluster destroy' first to start over");
    }

    /// <summary>Joining nodes need the daemon's endpoint: wait until it accepts connections.</summary>
    public static async Task WaitForEndpointAsync(ClusterNode node, int port, ClusterPaths paths, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(node.Address, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
        throw new DeploymentException($"the daemon's endpoint {node.Address}:{port} did not open within 60 s (see {Path.Combine(paths.LogDir, "daemon.log")} or 'journalctl -u tandem')");
    }
}
