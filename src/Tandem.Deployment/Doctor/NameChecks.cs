using System.Net;

namespace Tandem.Deployment.Doctor;

/// <summary>
/// Node names must resolve the same way everywhere, to the addresses the cluster uses: corosync, the
/// volumes and agents find nodes by name. The classic trap is Debian's <c>127.0.1.1 HOSTNAME</c> line.
/// </summary>
public static class NameChecks
{
    public static IEnumerable<CheckResult> Run(DoctorFacts facts)
    {
        foreach (var resolution in facts.Names)
        {
            var self = SameNode(resolution.Name, facts.HostName);
            yield return Check(resolution, self, facts);
        }
    }

    /// <summary>A node name matches a host name when they are equal or one is the other's first label (astapor, astapor.got.com).</summary>
    public static bool SameNode(string a, string? b) =>
        b is not null && (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
            || string.Equals(FirstLabel(a), FirstLabel(b), StringComparison.OrdinalIgnoreCase));

    private static string FirstLabel(string name) => name.Split('.')[0];

    private static CheckResult Check(NameResolution r, bool self, DoctorFacts facts)
    {
        var id = self ? "names.self" : $"names.peer.{r.Name}";
        var who = self ? $"this node's name '{r.Name}'" : $"peer '{r.Name}'";
        facts.Planned.TryGetValue(r.Name, out var planned);
        var hostsLine = $"{planned?.ToString() ?? "ADDRESS"} {r.Name}";
        if (r.Addresses.Count == 0)
        {
            return CheckResult.Failed(id, $"{who} does not resolve{(r.Error is null ? "" : $" ({r.Error})")}", $"add '{hostsLine}' to /etc/hosts (the same lines on every node)");
        }
        var loopback = r.Addresses.FirstOrDefault(IPAddress.IsLoopback);
        if (loopback is not null)
        {
            return CheckResult.Failed(id, $"{who} resolves to {loopback}, a loopback address: corosync would bind it and never see its peers", $"in /etc/hosts replace the line '{loopback} {r.Name}' with '{hostsLine}'");
        }
        var first = r.Addresses[0];
        if (planned is not null && !r.Addresses.Contains(planned))
        {
            return CheckResult.Failed(id, $"{who} resolves to {Join(r.Addresses)}, but the cluster uses {planned}", $"fix /etc/hosts (or DNS) so that {r.Name} is {planned} on every node");
        }
        var used = planned ?? first;
        if (self && !facts.LocalAddresses.Contains(used))
        {
            return CheckResult.Failed(id, $"{who} resolves to {used}, which is not an address of this machine (it has {Join(facts.LocalAddresses.Where(a => !IPAddress.IsLoopback(a)))})", $"give this machine the address {used}, or fix /etc/hosts so that {r.Name} is one of its addresses");
        }
        if (!self && facts.LocalAddresses.Contains(used))
        {
            return CheckResult.Failed(id, $"{who} resolves to {used}, an address of this machine", $"fix /etc/hosts: {r.Name} must be the peer's own address");
        }
        r.Reverse.TryGetValue(used, out var reverse);
        if (reverse is null)
        {
            return CheckResult.Warning(id, $"{who} is {used}, but {used} has no reverse name", $"add '{used} {r.Name}' to /etc/hosts (or a PTR record)");
        }
        if (!SameNode(r.Name, reverse))
        {
            return CheckResult.Failed(id, $"{who} is {used}, but {used} resolves back to '{reverse}'", $"make /etc/hosts (or DNS) agree: one line '{used} {r.Name}' on every node");
        }
        return CheckResult.Ok(id, $"{r.Name} is {used} both ways{(planned is null ? "" : ", as planned")}");
    }

    private static string Join(IEnumerable<IPAddress> addresses)
    {
        var text = string.Join(", ", addresses);
        return text.Length == 0 ? "none" : text;
    }
}
