using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tandem.Bus;
using Tandem.Node.Api;
using Tandem.Node.Membership;

namespace Tandem.Node;

/// <summary>
/// `tandem daemon`: one per node. Reads the cluster bus in delivery order and feeds every event to
/// the daemon's components on one loop, so they all see the same order as on every other node; serves
/// the local API from the components' published snapshots.
/// </summary>
public sealed class DaemonHost(IClusterBus bus, ILoggerFactory loggerFactory, TimeProvider time, string socketPath)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("daemon");
    private readonly DaemonCore _core = new(Environment.MachineName, loggerFactory, time);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public MembershipSnapshot Membership => _core.Membership.Current;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var api = await LocalApiServer.StartAsync(socketPath, loggerFactory, MapRoutes, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("daemon {Version} started on {Node}, local API on {Socket}", Version, Environment.MachineName, socketPath);
        try
        {
            await foreach (var busEvent in bus.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await DispatchAsync(busEvent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogInformation("daemon stopping");
        }
    }

    private async Task DispatchAsync(BusEvent busEvent, CancellationToken cancellationToken)
    {
        foreach (var reply in _core.OnBusEvent(busEvent))
        {
            if (!await bus.TrySendAsync(reply.Encode(), cancellationToken).ConfigureAwait(false))
            {
                _logger.LogWarning("could not send {Message}: not connected", reply.GetType().Name);
            }
        }
    }

    private void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/status", async (CancellationToken cancellationToken) =>
        {
            try
            {
                return Results.Json(await BuildStatusAsync(cancellationToken).ConfigureAwait(false), LocalApiJson.Options);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new ApiError($"corosync cannot be reached from this node: {e.Message}"), LocalApiJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }

    private async Task<StatusResponse> BuildStatusAsync(CancellationToken cancellationToken)
    {
        var info = await bus.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        var membership = _core.Membership.Current;
        string NameOf(uint id) => info.Nodes.FirstOrDefault(n => n.NodeId == id)?.Name ?? $"node{id}";
        return new StatusResponse(
            info.ClusterName,
            new NodeRef(info.LocalNodeId, NameOf(info.LocalNodeId)),
            [.. info.Nodes.OrderBy(n => n.NodeId).Select(n => new NodeStatus(
                n.NodeId,
                n.Name,
                membership.QuorumNodes.Contains(n.NodeId),
                membership.Members.Any(m => m.NodeId == n.NodeId)))],
            new QuorumStatus(membership.Quorate, info.Quorum.ExpectedVotes, info.Quorum.TotalVotes, info.Quorum.Quorum, info.Quorum.Flags, membership.RingSeq, membership.ChangedAt),
            membership.Coordinator is { } c ? new NodeRef(c.NodeId, NameOf(c.NodeId)) : null,
            membership.ElectionPending,
            [.. info.Links.Select(l => new LinkStatus(NameOf(l.PeerNodeId), l.LinkNumber, l.Connected))],
            new DaemonInfo(Environment.ProcessId, Version, _startedAt),
            info.Totem);
    }

    public static string Version =>
        typeof(DaemonHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? FileVersionInfo.GetVersionInfo(typeof(DaemonHost).Assembly.Location).ProductVersion
        ?? "0";
}
