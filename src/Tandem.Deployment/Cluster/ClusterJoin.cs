using System.Security.Cryptography.X509Certificates;
using Tandem.Corosync;
using Tandem.Deployment.Endpoint;
using Tandem.Deployment.Services;

namespace Tandem.Deployment.Cluster;

/// <summary>
/// `tandem cluster join FIRSTNODE --token T`: fetches the cluster's files from the first node over TLS
/// (its certificate pinned by the token), checks what came back, installs it and starts the services.
/// </summary>
public sealed class ClusterJoin(ClusterPaths paths, IServiceManager services, TimeProvider time)
{
    public async Task<ClusterSpec> RunAsync(string firstNode, string tokenText, string thisNode, CancellationToken cancellationToken)
    {
        ClusterSetup.RefuseIfConfigured(paths);
        var token = JoinToken.Parse(tokenText);
        var (key, request) = ClusterCertificates.CreateRequest(thisNode);
        using (key)
        {
            var bundle = await JoinClient.JoinAsync(firstNode, token, thisNode, request, cancellationToken).ConfigureAwait(false);
            var spec = ClusterSpec.Parse(bundle.ClusterFile, $"the cluster file sent by {firstNode}");
            var self = spec.Node(thisNode);
            using var authority = X509Certificate2.CreateFromPem(bundle.CaCertificate);
            using var certificate = X509Certificate2.CreateFromPem(bundle.NodeCertificate);
            using var publicKey = certificate.GetECDsaPublicKey();
            if (!ClusterCertificates.IssuedBy(certificate, authority, time.GetUtcNow())
                || publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new DeploymentException($"{firstNode} sent a certificate that is not this node's key signed by the cluster's authority; nothing was installed");
            }

            ClusterFiles.WritePublic(paths.CorosyncConf, bundle.CorosyncConf);
            ClusterFiles.WriteAuthKey(paths.AuthKey, Convert.FromBase64String(bundle.AuthKey));
            ClusterFiles.WriteSecret(paths.ClusterSecret, bundle.ClusterSecret);
            ClusterFiles.WritePublic(paths.CaCertificate, bundle.CaCertificate);
            ClusterFiles.WriteSecret(paths.NodeKey, key.ExportPkcs8PrivateKeyPem());
            ClusterFiles.WritePublic(paths.NodeCertificate, bundle.NodeCertificate);
            ClusterFiles.WritePublic(paths.ClusterFile, spec.Serialize());

            await services.InstallAsync(cancellationToken).ConfigureAwait(false);
            await services.StartAsync(spec.Quorum == QuorumMode.QDevice, cancellationToken).ConfigureAwait(false);
            await ClusterSetup.WaitForEndpointAsync(self, spec.EndpointPort, paths, cancellationToken).ConfigureAwait(false);
            return spec;
        }
    }
}
