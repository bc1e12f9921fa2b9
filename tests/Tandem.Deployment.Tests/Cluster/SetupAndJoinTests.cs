using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Corosync;
using Tandem.Deployment.Cluster;
using Tandem.Deployment.Endpoint;
using Tandem.Deployment.Services;

namespace Tandem.Deployment.Tests.Cluster;

/// <summary>
/// Setup and join in one process over real TLS on loopback: each "node" has its own root directory, and
/// the first node's service manager starts its real network endpoint instead of corosync and the daemon.
/// </summary>
public sealed class SetupAndJoinTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-join-").FullName;
    private readonly ClusterPaths _astapor;
    private readonly ClusterPaths _braavos;
    private readonly ClusterSpec _spec;
    private NodeEndpoint? _endpoint;

    public SetupAndJoinTests()
    {
        _astapor = new ClusterPaths(Path.Combine(_dir, "astapor"));
        _braavos = new ClusterPaths(Path.Combine(_dir, "braavos"));
        Provision(_astapor);
        Provision(_braavos);
        _spec = new ClusterSpec
        {
            Name = "zcs",
            Nodes = [new ClusterNode("astapor", 1, "127.0.0.1"), new ClusterNode("braavos", 2, "127.0.0.1")],
            Quorum = QuorumMode.TwoNode,
            FirstNode = "astapor",
            EndpointPort = FreePort(),
        };
    }

    private sealed class EndpointOnly(Func<Task> start) : IServiceManager
    {
        public string Name => "test";
        public int Starts { get; private set; }
        public Task InstallAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public async Task StartAsync(bool qdevice, CancellationToken cancellationToken)
        {
            Starts++;
            await start();
        }
        public Task StopAsync(bool volumes, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task UninstallAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>What a fresh server has before setup: the packages' directories, empty.</summary>
    private static void Provision(ClusterPaths paths)
    {
        foreach (var dir in new[] { paths.CorosyncDir, paths.CorosyncStateDir, paths.EtcDir, paths.StateDir })
        {
            Directory.CreateDirectory(dir);
        }
    }

    private async Task<JoinToken> SetUpAstaporAsync()
    {
        var services = new EndpointOnly(async () => _endpoint = await NodeEndpoint.StartAsync(_spec, _spec.Nodes[0], _astapor, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None));
        var result = await new ClusterSetup(_astapor, services, TimeProvider.System).RunAsync(_spec, CancellationToken.None);
        return Assert.Single(result.Tokens);
    }

    private Task<ClusterSpec> JoinBraavosAsync(string token) =>
        new ClusterJoin(_braavos, new EndpointOnly(() => Task.CompletedTask), TimeProvider.System).RunAsync("127.0.0.1", token, "braavos", CancellationToken.None);

    [Fact]
    public async Task A_node_joins_with_its_token_and_gets_the_same_cluster_and_its_own_certificate()
    {
        var token = await SetUpAstaporAsync();
        Assert.Equal("braavos", token.Node);
        var joined = await JoinBraavosAsync(token.Format());
        Assert.Equal(_spec.Nodes, joined.Nodes);
        Assert.Equal(File.ReadAllText(_astapor.CorosyncConf), File.ReadAllText(_braavos.CorosyncConf));
        Assert.Equal(File.ReadAllBytes(_astapor.AuthKey), File.ReadAllBytes(_braavos.AuthKey));
        Assert.Equal(File.ReadAllText(_astapor.ClusterSecret), File.ReadAllText(_braavos.ClusterSecret));
        Assert.False(File.Exists(_braavos.CaKey), "the authority's key stays on the first node");
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(_braavos.AuthKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_braavos.NodeKey));
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(_astapor.CaCertificate));
        using var certificate = X509Certificate2.CreateFromPemFile(_braavos.NodeCertificate, _braavos.NodeKey);
        Assert.Equal("CN=braavos", certificate.Subject);
        Assert.True(ClusterCertificates.IssuedBy(certificate, authority, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_reused_token_is_refused()
    {
        var token = await SetUpAstaporAsync();
        await JoinBraavosAsync(token.Format());
        await new ClusterDestroy(_braavos, new EndpointOnly(() => Task.CompletedTask)).RunAsync(wipeData: false, "braavos", CancellationToken.None);
        var e = await Assert.ThrowsAsync<DeploymentException>(() => JoinBraavosAsync(token.Format()));
        Assert.Contains("already used", e.Message, StringComparison.Ordinal);
        Assert.False(_braavos.Configured);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_first_node()
    {
        var token = await SetUpAstaporAsync();
        var wrong = token with { Secret = new byte[32] };
        var e = await Assert.ThrowsAsync<DeploymentException>(() => JoinBraavosAsync(wrong.Format()));
        Assert.Contains("wrong token", e.Message, StringComparison.Ordinal);
        Assert.False(_braavos.Configured);
    }

    [Fact]
    public async Task A_token_pinning_another_certificate_is_refused_by_the_joiner_before_it_sends_the_secret()
    {
        var token = await SetUpAstaporAsync();
        var impostor = token with { Fingerprint = new byte[32] };
        var e = await Assert.ThrowsAsync<DeploymentException>(() => JoinBraavosAsync(impostor.Format()));
        Assert.Contains("not the one the token names", e.Message, StringComparison.Ordinal);
        // The real token was never presented, so it still works.
        await JoinBraavosAsync(token.Format());
    }

    [Fact]
    public async Task Setup_refuses_a_node_that_already_belongs_to_a_cluster()
    {
        await SetUpAstaporAsync();
        var e = await Assert.ThrowsAsync<DeploymentException>(() => new ClusterSetup(_astapor, new EndpointOnly(() => Task.CompletedTask), TimeProvider.System).RunAsync(_spec, CancellationToken.None));
        Assert.Contains("already belongs to cluster zcs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Destroy_removes_what_setup_made_and_keeps_volume_data()
    {
        Directory.CreateDirectory(_astapor.VolumesDir);
        var data = Path.Combine(_dir, "astapor-data.img");
        await File.WriteAllTextAsync(data, "mail");
        var definition = Path.Combine(_astapor.VolumesDir, "optzimbra.json");
        await File.WriteAllTextAsync(definition, Definition(data));
        var before = Listing(_astapor);

        await SetUpAstaporAsync();
        Assert.NotEqual(before, Listing(_astapor));
        await _endpoint!.DisposeAsync();
        _endpoint = null;
        var kept = await new ClusterDestroy(_astapor, new EndpointOnly(() => Task.CompletedTask)).RunAsync(wipeData: false, "astapor", CancellationToken.None);
        Assert.Equal(before, Listing(_astapor));
        Assert.Equal("mail", await File.ReadAllTextAsync(data));
        Assert.Contains(definition, kept.Kept);

        var wiped = await new ClusterDestroy(_astapor, new EndpointOnly(() => Task.CompletedTask)).RunAsync(wipeData: true, "astapor", CancellationToken.None);
        Assert.False(File.Exists(data));
        Assert.Contains(data, wiped.Removed);
    }

    private static string Definition(string disk) => $$"""
        {
          "name": "optzimbra", "size": "64M", "protocol": "C", "secret": "0123456789abcdef0123",
          "replicas": [
            { "node": "astapor", "address": "10.0.0.1:7788", "disk": "{{disk}}", "meta-disk": "internal" },
            { "node": "braavos", "address": "10.0.0.2:7788", "disk": "/srv/optzimbra.img", "meta-disk": "internal" }
          ]
        }
        """;

    private static string Listing(ClusterPaths paths) =>
        string.Join('\n', Directory.GetFileSystemEntries(paths.Root, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(paths.LogDir, StringComparison.Ordinal) && !p.StartsWith(paths.RunDir, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
        Directory.Delete(_dir, recursive: true);
    }
}
