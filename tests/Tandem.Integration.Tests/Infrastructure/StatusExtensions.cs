using Tandem.Node.Api;

namespace Tandem.Integration.Tests.Infrastructure;

/// <summary>Questions tests ask of a status.</summary>
public static class StatusExtensions
{
    public static IReadOnlyList<string> OnlineNodes(this StatusResponse status) =>
        [.. status.Nodes.Where(n => n.Online).Select(n => n.Name).Order(StringComparer.Ordinal)];

    public static bool Sees(this StatusResponse status, params string[] online) =>
        status.OnlineNodes().SequenceEqual(online.Order(StringComparer.Ordinal));
}
