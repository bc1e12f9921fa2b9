using System.Text.Json;
using Tandem.Bus;
using Xunit.Abstractions;

namespace Tandem.Corosync.Tests.Lab;

/// <summary>
/// The corosync binding against real corosync 3.1.7 in a two-node lab: every test runs `tandem bus probe`
/// inside the nodes and watches what it prints. Each test uses a CPG group of its own. After each test,
/// every probe's whole output is checked for well-formed views (<see cref="StreamChecks"/>).
/// </summary>
[Trait("Category", "Lab")]
public sealed class CorosyncBusLabTests(CorosyncLab lab, ITestOutputHelper output) : IClassFixture<CorosyncLab>, IAsyncLifetime
{
    private readonly List<Probe> _probes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var probe in _probes)
        {
            await probe.DisposeAsync();
        }
        foreach (var probe in _probes)
        {
            StreamChecks.AssertWellFormed(probe);
        }
    }

    private static string Group() => "t" + Guid.NewGuid().ToString("N")[..12];

    private static bool HasMembers(JsonElement view, int count) => view.GetProperty("members").GetArrayLength() == count;

    private async Task<Probe> ConnectedProbe(Tandem.Lab.LabMachine node, string group)
    {
        var probe = Probe.Start(node, group, output.WriteLine);
        _probes.Add(probe);
        await probe.WaitForEventAsync("connected", _ => true);
        return probe;
    }

    [Fact]
    public async Task A_probe_joins_sees_itself_and_reads_names_votes_quorum_links_and_totem_settings()
    {
        await using var probe = await ConnectedProbe(lab.Node("astapor"), Group());

        var view = await probe.WaitForEventAsync("view", _ => true);
        Assert.Equal([probe.Self!], Probe.Strings(view, "members"));
        Assert.Equal([probe.Self!], Probe.Strings(view, "joined"));
        Assert.StartsWith("1/", probe.Self);
        var quorum = await probe.WaitForEventAsync("quorum", q => q.GetProperty("nodes").GetArrayLength() == 2);
        Assert.True(quorum.GetProperty("quorate").GetBoolean());
        Assert.True(quorum.GetProperty("ringSeq").GetUInt64() > 0);

        // Both nodes are in the ring, so knet has connected their link too; ask until it says so.
        JsonElement info = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var from = probe.Count;
            probe.Command("info");
            info = (await probe.WaitForEventAsync("info", _ => true, from)).GetProperty("info");
            if (info.GetProperty("links").EnumerateArray().Any(l => l.GetProperty("connected").GetBoolean()))
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(lab.ClusterName, info.GetProperty("clusterName").GetString());
        Assert.Equal(1u, info.GetProperty("localNodeId").GetUInt32());
        var nodes = info.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["astapor", "braavos"], nodes.Select(n => n.GetProperty("name").GetString()));
        Assert.Equal([1u, 2u], nodes.Select(n => n.GetProperty("nodeId").GetUInt32()));
        Assert.All(nodes, n => Assert.True(n.GetProperty("member").GetBoolean()));
        Assert.All(nodes, n => Assert.Equal(1u, n.GetProperty("votes").GetUInt32()));
        var votes = info.GetProperty("quorum");
        Assert.True(votes.GetProperty("quorate").GetBoolean());
        Assert.Equal(2u, votes.GetProperty("expectedVotes").GetUInt32());
        Assert.Equal(2u, votes.GetProperty("totalVotes").GetUInt32());
        Assert.Equal(1u, votes.GetProperty("quorum").GetUInt32());
        Assert.Equal([QuorumFlags.TwoNode, QuorumFlags.Quorate, QuorumFlags.WaitForAll], Probe.Strings(votes, "flags"));
        var link = Assert.Single(info.GetProperty("links").EnumerateArray());
        Assert.Equal((2u, 0, true), (link.GetProperty("peerNodeId").GetUInt32(), link.GetProperty("linkNumber").GetInt32(), link.GetProperty("connected").GetBoolean()));
        var totem = info.GetProperty("totem");
        Assert.Equal(CorosyncLab.TokenMs.ToString(System.Globalization.CultureInfo.InvariantCulture), totem.GetProperty("token").GetString());
        // corosync derives consensus as 1.2 x token when it is not configured.
        Assert.Equal("1200", totem.GetProperty("consensus").GetString());
        Assert.Equal("knet", totem.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Two_members_on_two_nodes_deliver_concurrent_messages_in_one_agreed_order()
    {
        var group = Group();
        await using var a = await ConnectedProbe(lab.Node("astapor"), group);
        await using var b = await ConnectedProbe(lab.Node("braavos"), group);
        await a.WaitForEventAsync("view", v => HasMembers(v, 2));
        await b.WaitForEventAsync("view", v => HasMembers(v, 2));

        const int perSender = 150;
        var sending = new[] { (a, "a"), (b, "b") }.Select(p => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                p.Item1.Command($"send {p.Item2}{i}");
            }
        })).ToArray();
        await Task.WhenAll(sending);
        await a.WaitForAsync("every message", _ => a.Messages().Count == 2 * perSender);
        await b.WaitForAsync("every message", _ => b.Messages().Count == 2 * perSender);

        Assert.Equal(a.Messages(), b.Messages());
        foreach (var (probe, prefix) in new[] { (a, "a"), (b, "b") })
        {
            var own = a.Messages().Where(m => m.Text.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"{prefix}{i}"), own.Select(m => m.Text));
            Assert.All(own, m => Assert.Equal(probe.Self, m.Sender));
        }
        // The two streams interleave: agreed order is more than each sender's messages back to back.
        Assert.True(CountRuns(a.Messages()) > 2, "the senders' messages did not interleave; the test proved nothing about ordering");
    }

    [Fact]
    public async Task Both_nodes_flooding_past_flow_control_deliver_the_same_messages_in_the_same_order()
    {
        const int perSender = 500;
        const int bytes = 100_000;
        var group = Group();
        await using var a = await ConnectedProbe(lab.Node("astapor"), group);
        await using var b = await ConnectedProbe(lab.Node("braavos"), group);
        await a.WaitForEventAsync("view", v => HasMembers(v, 2));
        await b.WaitForEventAsync("view", v => HasMembers(v, 2));

        var aFrom = a.Count;
        var bFrom = b.Count;
        a.Command($"flood {perSender} {bytes}");
        b.Command($"flood {perSender} {bytes}");
        var aFlood = await a.WaitForEventAsync("flooded", _ => true, aFrom, TimeSpan.FromSeconds(120));
        var bFlood = await b.WaitForEventAsync("flooded", _ => true, bFrom, TimeSpan.FromSeconds(120));
        Assert.Equal(perSender, aFlood.GetProperty("accepted").GetInt32());
        Assert.Equal(perSender, bFlood.GetProperty("accepted").GetInt32());
        // 50 MB from each side through corosync's 1 MiB IPC buffer: corosync must have pushed back (it
        // takes small messages off the IPC buffer faster than anyone sends them, large ones it does not).
        Assert.True(
            aFlood.GetProperty("flowControlRetries").GetInt64() + bFlood.GetProperty("flowControlRetries").GetInt64() > 0,
            "corosync never answered CS_ERR_TRY_AGAIN; the test proved nothing about flow control");

        var aDigest = await Digest(a, 2 * perSender);
        var bDigest = await Digest(b, 2 * perSender);
        Assert.Equal(aDigest, bDigest);
    }

    /// <summary>The probe's digest once it has delivered <paramref name="count"/> messages.</summary>
    private static async Task<string> Digest(Probe probe, int count)
    {
        var deadline = DateTime.UtcNow + Probe.DefaultWait;
        while (true)
        {
            var from = probe.Count;
            probe.Command("digest");
            var digest = await probe.WaitForEventAsync("digest", _ => true, from);
            if (digest.GetProperty("count").GetInt64() >= count)
            {
                Assert.Equal(count, digest.GetProperty("count").GetInt64());
                return digest.GetProperty("sha256").GetString()!;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"probe on {probe.Node} delivered {digest.GetProperty("count").GetInt64()} of {count} messages");
            }
            await Task.Delay(100);
        }
    }

    private static int CountRuns(IReadOnlyList<(string Sender, string Text)> messages) =>
        1 + messages.Zip(messages.Skip(1)).Count(p => p.First.Sender != p.Second.Sender);

    [Fact]
    public async Task The_largest_message_the_bus_accepts_travels_whole_through_corosync()
    {
        await using var probe = await ConnectedProbe(lab.Node("braavos"), Group());
        await probe.WaitForEventAsync("view", _ => true);
        probe.Command($"flood 3 {ClusterBusLimits.MaxMessageBytes}");
        var flooded = await probe.WaitForEventAsync("flooded", _ => true);
        Assert.Equal(3, flooded.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Members_that_quit_or_crash_leave_the_view_with_their_reason()
    {
        var group = Group();
        await using var watcher = await ConnectedProbe(lab.Node("astapor"), group);
        var quitter = await ConnectedProbe(lab.Node("braavos"), group);
        await using var crasher = await ConnectedProbe(lab.Node("braavos"), group);
        await watcher.WaitForEventAsync("view", v => HasMembers(v, 3));
        var quitterSelf = quitter.Self!;
        var crasherSelf = crasher.Self!;

        var from = watcher.Count;
        await quitter.DisposeAsync();
        var left = await watcher.WaitForEventAsync("view", v => Probe.Strings(v, "left").Contains(quitterSelf), from);
        Assert.Equal("leave", left.GetProperty("leftReasons").GetProperty(quitterSelf).GetString());
        Assert.Equal(2, left.GetProperty("members").GetArrayLength());

        from = watcher.Count;
        crasher.Kill();
        var down = await watcher.WaitForEventAsync("view", v => Probe.Strings(v, "left").Contains(crasherSelf), from);
        Assert.Equal("processDown", down.GetProperty("leftReasons").GetProperty(crasherSelf).GetString());
        Assert.Equal([watcher.Self!], Probe.Strings(down, "members"));
    }

    [Fact]
    public async Task When_corosync_dies_the_bus_reports_it_reconnects_when_corosync_is_back_and_rejoins_the_group()
    {
        var group = Group();
        var astapor = lab.Node("astapor");
        await using var a = await ConnectedProbe(astapor, group);
        await using var b = await ConnectedProbe(lab.Node("braavos"), group);
        await a.WaitForEventAsync("view", v => HasMembers(v, 2));
        var aSelf = a.Self!;
        var ringBefore = (await b.WaitForEventAsync("view", v => HasMembers(v, 2))).GetProperty("ringSeq").GetUInt64();

        var aFrom = a.Count;
        var bFrom = b.Count;
        await lab.KillCorosyncAsync(astapor);
        try
        {
            var down = await a.WaitForEventAsync("disconnected", _ => true, aFrom);
            Assert.Contains("CS_ERR_LIBRARY", down.GetProperty("reason").GetString(), StringComparison.Ordinal);
            var lost = await b.WaitForEventAsync("view", v => Probe.Strings(v, "left").Contains(aSelf), bFrom);
            Assert.Equal("nodeDown", lost.GetProperty("leftReasons").GetProperty(aSelf).GetString());
            Assert.True(lost.GetProperty("ringSeq").GetUInt64() > ringBefore);
            // braavos keeps quorum alone (two_node).
            Assert.True((await b.WaitForEventAsync("quorum", q => q.GetProperty("nodes").GetArrayLength() == 1, bFrom)).GetProperty("quorate").GetBoolean());

            var infoFrom = a.Count;
            a.Command("info");
            Assert.Contains("not connected to corosync", (await a.WaitForEventAsync("error", _ => true, infoFrom)).GetProperty("message").GetString(), StringComparison.Ordinal);
            infoFrom = a.Count;
            a.Command("send while down");
            Assert.False((await a.WaitForEventAsync("sent", _ => true, infoFrom)).GetProperty("ok").GetBoolean());
        }
        finally
        {
            await lab.StartCorosyncAsync(astapor);
        }

        await a.WaitForEventAsync("connected", _ => true, aFrom);
        await a.WaitForEventAsync("view", v => HasMembers(v, 2), aFrom);
        var back = await b.WaitForEventAsync("view", v => Probe.Strings(v, "joined").Contains(aSelf), bFrom);
        Assert.Equal(2, back.GetProperty("members").GetArrayLength());
        var sendFrom = a.Count;
        a.Command("send back again");
        Assert.True((await a.WaitForEventAsync("sent", _ => true, sendFrom)).GetProperty("ok").GetBoolean());
        await b.WaitForAsync("the message sent after reconnecting", _ => b.Messages().Any(m => m.Text == "back again" && m.Sender == aSelf));
    }
}
