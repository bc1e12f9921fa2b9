using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Endpoint;

/// <summary>
/// The daemon's network endpoint: HTTPS with the node's cluster certificate, listening only on the node's
/// cluster address. Today it admits joining nodes (on the node that holds the certificate authority);
/// node-to-node calls will be added here, authenticated by the nodes' certificates.
/// </summary>
public sealed class NodeEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeEndpoint(WebApplication app, IPEndPoint listening)
    {
        _app = app;
        Listening = listening;
    }

    public IPEndPoint Listening { get; }

    /// <summary>Starts the endpoint when this node belongs to a cluster; null when it does not.</summary>
    public static async Task<NodeEndpoint?> StartIfConfiguredAsync(string nodeName, ClusterPaths paths, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("endpoint");
        ClusterSpec? spec;
        try
        {
            spec = ClusterSpec.TryLoad(paths);
        }
        catch (DeploymentException e)
        {
            logger.LogError("no network endpoint: {Error}", e.Message);
            return null;
        }
        if (spec is null)
        {
            return null;
        }
        var node = spec.Nodes.FirstOrDefault(n => n.Name == nodeName);
        if (node is null || !File.Exists(paths.NodeCertificate))
        {
            logger.LogError("no network endpoint: {Node} is not a node of cluster {Cluster}, or {Certificate} is missing", nodeName, spec.Name, paths.NodeCertificate);
            return null;
        }
        var endpoint = await StartAsync(spec, node, paths, loggerFactory, time, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("network endpoint on https://{Endpoint} (join {Join})", endpoint.Listening, File.Exists(paths.CaKey) ? "open to holders of a token" : "handled by " + spec.FirstNode);
        return endpoint;
    }

    public static async Task<NodeEndpoint> StartAsync(ClusterSpec spec, ClusterNode node, ClusterPaths paths, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken)
    {
        var certificate = X509Certificate2.CreateFromPemFile(paths.NodeCertificate, paths.NodeKey);
        var listening = new IPEndPoint(IPAddress.Parse(node.Address), spec.EndpointPort);
        // The content root defaults to the working directory, "/" for a service, and watching the
        // configuration files there for changes walks the whole file system (inotify, recursively):
        // seconds before the host starts. The program's own directory, and no watching.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(listening, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            // Joining nodes have no certificate yet; node-to-node routes will require one issued by the cluster.
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        var app = builder.Build();
        var admission = new JoinAdmission(spec, paths, time, loggerFactory.CreateLogger("join"));
        app.MapPost("/v1/join", (JoinRequest request) => admission.Admit(request));
        app.MapFallback((HttpContext context) => Results.Json(new EndpointError($"no route {context.Request.Method} {context.Request.Path}"), statusCode: StatusCodes.Status404NotFound));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new NodeEndpoint(app, listening);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
