using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Endpoint;

/// <summary>
/// The first node's side of a join: the token must be one it issued, unused, unexpired and for the node
/// that presents it; then the node's key is certified and the cluster's files are handed over.
/// </summary>
public sealed class JoinAdmission(ClusterSpec spec, ClusterPaths paths, TimeProvider time, ILogger logger)
{
    public IResult Admit(JoinRequest request)
    {
        if (!File.Exists(paths.CaKey))
        {
            return Refuse(StatusCodes.Status404NotFound, $"this node does not admit new nodes: run 'tandem cluster join {spec.FirstNode}' against {spec.FirstNode}");
        }
        byte[] secret;
        try
        {
            secret = Base64Url.DecodeFromChars(request.Secret);
        }
        catch (FormatException)
        {
            return Refuse(StatusCodes.Status400BadRequest, "the join request carries no readable secret");
        }
        var (outcome, token) = new JoinTokenStore(paths.JoinTokens, time).Redeem(request.Node, secret);
        switch (outcome)
        {
            case RedeemOutcome.UnknownToken:
                return Refuse(StatusCodes.Status403Forbidden, $"join refused: the token is not one cluster {spec.Name} issued (wrong token)");
            case RedeemOutcome.AlreadyUsed:
                return Refuse(StatusCodes.Status403Forbidden, $"join refused: the token was already used at {token!.UsedAt:yyyy-MM-dd HH:mm:ss}Z; issue a new one with 'tandem cluster token {token.Node}' on {spec.FirstNode}");
            case RedeemOutcome.Expired:
                return Refuse(StatusCodes.Status403Forbidden, $"join refused: the token expired at {token!.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z; issue a new one with 'tandem cluster token {token.Node}' on {spec.FirstNode}");
            case RedeemOutcome.OtherNode:
                return Refuse(StatusCodes.Status403Forbidden, $"join refused: the token was issued for {token!.Node}, and this node is {request.Node}");
        }
        try
        {
            var node = spec.Node(request.Node);
            using var authority = X509Certificate2.CreateFromPemFile(paths.CaCertificate, paths.CaKey);
            using var issued = ClusterCertificates.Issue(authority, request.CertificateRequest, node, time.GetUtcNow());
            logger.LogInformation("{Node} joined cluster {Cluster}", node.Name, spec.Name);
            return Results.Json(new JoinBundle(
                spec.Serialize(),
                File.ReadAllText(paths.CorosyncConf),
                Convert.ToBase64String(File.ReadAllBytes(paths.AuthKey)),
                File.ReadAllText(paths.ClusterSecret),
                File.ReadAllText(paths.CaCertificate),
                issued.ExportCertificatePem()));
        }
        catch (DeploymentException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private IResult Refuse(int status, string message)
    {
        logger.LogWarning("join: {Message}", message);
        return Results.Json(new EndpointError(message), statusCode: status);
    }
}
