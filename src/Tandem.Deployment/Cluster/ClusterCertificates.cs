using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tandem.Deployment.Cluster;

/// <summary>
/// The cluster's TLS: a certificate authority made by `tandem cluster setup` (its key stays on the first
/// node) and one certificate per node, for the node's name and address. Keys are ECDSA P-256; a joining
/// node makes its own key and sends only a signing request, so no private key ever travels.
/// </summary>
public static class ClusterCertificates
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(365 * 20);
    private static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(365 * 10);

    public static X509Certificate2 CreateAuthority(string clusterName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Tandem cluster {clusterName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
    }

    /// <summary>A new key and its signing request (PEM) for this node.</summary>
    public static (ECDsa Key, string RequestPem) CreateRequest(string nodeName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeName}", key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>
    /// Signs a node's key. Only the public key of the request is used (after checking its signature): the
    /// name and address come from the cluster's plan, not from the requester.
    /// </summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string requestPem, ClusterNode node, DateTimeOffset now)
    {
        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(requestPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException e)
        {
            throw new DeploymentException($"the certificate signing request is invalid: {e.Message}");
        }
        var issued = new CertificateRequest(new X500DistinguishedName($"CN={node.Name}"), request.PublicKey, HashAlgorithmName.SHA256);
        issued.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        issued.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        issued.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node.Name);
        names.AddIpAddress(IPAddress.Parse(node.Address));
        issued.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = now + NodeLifetime < authority.NotAfter ? now + NodeLifetime : new DateTimeOffset(authority.NotAfter);
        return issued.Create(authority, now.AddMinutes(-5), notAfter, serial);
    }

    /// <summary>SHA-256 of the certificate's DER bytes: what a join token pins.</summary>
    public static byte[] Fingerprint(X509Certificate2 certificate) => SHA256.HashData(certificate.RawData);

    /// <summary>True when the certificate was issued by the authority (and is within its validity).</summary>
    public static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(certificate);
    }
}
