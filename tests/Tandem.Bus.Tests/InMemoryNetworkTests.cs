using System.Text;
using Tandem.Bus.InMemory;

namespace Tandem.Bus.Tests;

/// <summary>Scenarios of the in-memory bus, each the story of one incident and what every member sees.</summary>
public sealed class InMemoryNetworkTests
{
    private static readonly InMemoryClusterConfig ThreeNodes = new("lab", [new(1, "astapor"), new(2, "braavos"), new(3, "carcosa")]);
    private static readonly InMemoryClusterConfig TwoNodes = new("lab", [new(1, "astapor"), new(2, "braavos")]) { TwoNode = true };

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<bool> Send(InMemoryClusterBus process, string text) =>
        await process.TrySendAsync(Bytes(text), CancellationToken.None);

    [Fact]
    public async Task A_joining_process_is_connected_then_sees_itself_join_and_the_others_see_it_join()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 1);
        network.StartAll();
        var log = new EventLog();
        var a = log.Track(network.Connect(1));
        var b = log.Track(network.Connect(2));

        var aEvents = log.Of(a);
        Assert.Equal(new BusConnected(a.Member), aEvents[0]);
        var aFirst = log.Of(a).OfType<ViewChanged>().First();
        Assert.Equal([a.Member], aFirst.Members);
        Assert.Equal([a.Member], aFirst.Joined);
        var aSecond = log.Of(a).OfType<ViewChanged>().Last();
        Assert.Equal([a.Member, b.Member], aSecond.Members);
        Assert.Equal([b.Member], aSecond.Joined);
        Assert.Empty(aSecond.Left);

        var bView = Assert.Single(log.Of(b).OfType<ViewChanged>());
        Assert.Equal([a.Member, b.Member], bView.Members);
        Assert.Equal([b.Member], bView.Joined);
        Assert.Equal(aSecond.RingSeq, bView.RingSeq);
        var quorum = log.Last<QuorumChanged>(b);
        Assert.True(quorum.Quorate);
        Assert.Equal([1u, 2u, 3u], quorum.Nodes);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Messages_wait_until_delivered_and_every_member_delivers_them_in_one_order()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 7);
        network.StartAll();
        var log = new EventLog();
        var processes = new[] { log.Track(network.Connect(1)), log.Track(network.Connect(2)), log.Track(network.Connect(3)) };
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await Send(processes[i % 3], $"m{i}"));
        }
        Assert.Empty(log.Messages(processes[0]));
        Assert.Equal(10, network.PendingMessages);

        Assert.True(network.Step());
        Assert.Single(log.Messages(processes[1]));
        Assert.Equal(9, network.DeliverAll());
        Assert.False(network.Step());

        var expected = Enumerable.Range(0, 10).Select(i => $"m{i}").ToList();
        foreach (var process in processes)
        {
            Assert.Equal(expected, log.Messages(process));
        }
        var first = log.Of(processes[2]).OfType<MessageDelivered>().First();
        Assert.Equal(processes[0].Member, first.Sender);
    }

    [Fact]
    public async Task A_process_joining_while_messages_wait_sees_only_those_sent_after_its_join()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 3);
        network.StartAll();
        var log = new EventLog();
        var a = log.Track(network.Connect(1));
        await Send(a, "before");
        var b = log.Track(network.Connect(2));
        await Send(a, "after");
        network.DeliverAll();

        Assert.Equal(["before", "after"], log.Messages(a));
        Assert.Equal(["after"], log.Messages(b));
        // a delivered "before" in its first view, then saw b join, then "after".
        var aKinds = log.Of(a).Select(e => e is MessageDelivered m ? EventLog.Text(m) : e.GetType().Name).Where(k => k != nameof(QuorumChanged));
        Assert.Equal([nameof(BusConnected), nameof(ViewChanged), "before", nameof(ViewChanged), "after"], aKinds);
    }

    [Fact]
    public async Task Leaving_killing_and_crashing_are_told_apart_by_the_leave_reason()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 5);
        network.StartAll();
        var log = new EventLog();
        var watcher = log.Track(network.Connect(1));
        var leaver = log.Track(network.Connect(2));
        var victim = log.Track(network.Connect(2));
        var onLostNode = log.Track(network.Connect(3));

        await leaver.DisposeAsync();
        Assert.Equal(LeaveReason.Leave, log.Last<ViewChanged>(watcher).LeftReasons[leaver.Member]);
        network.KillProcess(victim);
        Assert.Equal(LeaveReason.ProcessDown, log.Last<ViewChanged>(watcher).LeftReasons[victim.Member]);
        network.CrashNode(3);
        var view = log.Last<ViewChanged>(watcher);
        Assert.Equal(LeaveReason.NodeDown, view.LeftReasons[onLostNode.Member]);
        Assert.Equal([watcher.Member], view.Members);
        Assert.Equal([1u, 2u], log.Last<QuorumChanged>(watcher).Nodes);

        foreach (var gone in new[] { leaver, victim, onLostNode })
        {
            Assert.True(gone.HasEnded);
            Assert.True(gone.Events.Completion.IsCompleted);
            Assert.False(await Send(gone, "from beyond"));
        }
    }

    [Fact]
    public async Task When_corosync_stops_the_process_is_disconnected_and_rejoins_when_it_starts_again()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 11);
        network.StartAll();
        var log = new EventLog();
        var a = log.Track(network.Connect(1));
        var b = log.Track(network.Connect(2));

        network.StopCorosync(2);
        Assert.IsType<BusDisconnected>(log.Of(b)[^1]);
        Assert.False(await Send(b, "lost"));
        await Assert.ThrowsAsync<BusUnavailableException>(() => b.GetInfoAsync(CancellationToken.None).AsTask());
        var aView = log.Last<ViewChanged>(a);
        Assert.Equal(LeaveReason.NodeDown, aView.LeftReasons[b.Member]);

        var ringBefore = aView.RingSeq;
        network.StartNode(2);
        var reconnect = log.Of(b).SkipWhile(e => e is not BusDisconnected).Skip(1).ToList();
        Assert.IsType<BusConnected>(reconnect[0]);
        var rejoin = reconnect.OfType<ViewChanged>().Single();
        Assert.Equal([a.Member, b.Member], rejoin.Members);
        Assert.Equal([b.Member], rejoin.Joined);
        Assert.True(rejoin.RingSeq > ringBefore);
        Assert.Equal([b.Member], log.Last<ViewChanged>(a).Joined);
        Assert.True(await Send(b, "back"));
        network.DeliverAll();
        Assert.Equal(["back"], log.Messages(a));
    }

    [Fact]
    public async Task A_process_started_while_corosync_is_down_waits_and_joins_when_it_comes_up()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 2);
        network.StartAll();
        network.StopCorosync(3);
        var log = new EventLog();
        var early = log.Track(network.Connect(3));
        Assert.IsType<BusDisconnected>(Assert.Single(log.Of(early)));
        Assert.False(early.IsConnected);

        network.StartNode(3);
        Assert.True(early.IsConnected);
        Assert.Equal([early.Member], log.Last<ViewChanged>(early).Members);
        Assert.True(await Send(early, "hello"));
    }

    [Fact]
    public async Task A_minority_partition_loses_quorum_and_the_merge_brings_both_sides_into_one_view()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 13);
        network.StartAll();
        var log = new EventLog();
        var p1 = log.Track(network.Connect(1));
        var p2 = log.Track(network.Connect(2));
        var p3 = log.Track(network.Connect(3));

        network.Partition([1, 2], [3]);
        Assert.True(log.Last<QuorumChanged>(p1).Quorate);
        Assert.False(log.Last<QuorumChanged>(p3).Quorate);
        Assert.Equal([p1.Member, p2.Member], log.Last<ViewChanged>(p1).Members);
        Assert.Equal([p3.Member], log.Last<ViewChanged>(p3).Members);
        Assert.Equal([p1.Member, p2.Member], log.Last<ViewChanged>(p3).Left);

        await Send(p1, "majority");
        await Send(p3, "minority");
        network.DeliverAll();
        Assert.Equal(["majority"], log.Messages(p2));
        Assert.Equal(["minority"], log.Messages(p3));

        network.Heal();
        var merged = log.Last<ViewChanged>(p3);
        Assert.Equal([p1.Member, p2.Member, p3.Member], merged.Members);
        Assert.Equal([p1.Member, p2.Member], merged.Joined);
        Assert.Equal(merged.RingSeq, log.Last<ViewChanged>(p1).RingSeq);
        Assert.True(log.Last<QuorumChanged>(p3).Quorate);
    }

    [Fact]
    public async Task Every_new_ring_has_a_higher_sequence_number_than_any_ring_of_its_nodes()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 17);
        network.StartNode(1);
        var log = new EventLog();
        var p = log.Track(network.Connect(1));
        var first = log.Last<QuorumChanged>(p).RingSeq;
        network.StartNode(2);
        Assert.Equal(first + 4, log.Last<QuorumChanged>(p).RingSeq);
        network.CrashNode(2);
        network.StartNode(2);
        Assert.Equal(first + 12, log.Last<QuorumChanged>(p).RingSeq);
        await p.DisposeAsync();
    }

    [Fact]
    public void Two_node_cluster_waits_for_both_nodes_then_each_keeps_quorum_alone()
    {
        var network = new InMemoryNetwork(TwoNodes, seed: 19);
        network.StartNode(1);
        var log = new EventLog();
        var a = log.Track(network.Connect(1));
        var alone = log.Last<QuorumChanged>(a);
        Assert.False(alone.Quorate);

        network.StartNode(2);
        var b = log.Track(network.Connect(2));
        Assert.True(log.Last<QuorumChanged>(a).Quorate);

        network.Partition([1], [2]);
        Assert.True(log.Last<QuorumChanged>(a).Quorate);
        Assert.True(log.Last<QuorumChanged>(b).Quorate);

        // A node that restarts while cut off must not grant itself quorum: wait_for_all.
        network.CrashNode(2);
        network.StartNode(2);
        var restarted = log.Track(network.Connect(2));
        Assert.False(log.Last<QuorumChanged>(restarted).Quorate);
        Assert.True(log.Last<QuorumChanged>(a).Quorate);

        network.Heal();
        Assert.True(log.Last<QuorumChanged>(restarted).Quorate);
    }

    [Fact]
    public async Task Two_node_quorum_info_carries_votequorum_flags_and_votes()
    {
        var network = new InMemoryNetwork(TwoNodes, seed: 23);
        network.StartAll();
        var a = network.Connect(1);
        var info = await a.GetInfoAsync(CancellationToken.None);
        Assert.Equal(new[] { QuorumFlags.TwoNode, QuorumFlags.Quorate, QuorumFlags.WaitForAll }, info.Quorum.Flags);
        Assert.Equal((2u, 2u, 1u), (info.Quorum.ExpectedVotes, info.Quorum.TotalVotes, info.Quorum.Quorum));
    }

    [Fact]
    public async Task Quorum_device_breaks_the_tie_for_the_side_with_the_lowest_node_id_until_that_side_loses_the_arbiter()
    {
        var config = new InMemoryClusterConfig("lab", [new(1, "astapor"), new(2, "braavos")]) { QdeviceVotes = 1 };
        var network = new InMemoryNetwork(config, seed: 29);
        network.StartAll();
        var log = new EventLog();
        var a = log.Track(network.Connect(1));
        var b = log.Track(network.Connect(2));
        var info = await a.GetInfoAsync(CancellationToken.None);
        Assert.Equal((3u, 3u, 2u), (info.Quorum.ExpectedVotes, info.Quorum.TotalVotes, info.Quorum.Quorum));
        Assert.Contains(QuorumFlags.QdeviceCastVote, info.Quorum.Flags);

        network.Partition([1], [2]);
        Assert.True(log.Last<QuorumChanged>(a).Quorate);
        Assert.False(log.Last<QuorumChanged>(b).Quorate);

        network.SetArbiterReachable(1, false);
        Assert.False(log.Last<QuorumChanged>(a).Quorate);
        Assert.True(log.Last<QuorumChanged>(b).Quorate);
        var bInfo = await b.GetInfoAsync(CancellationToken.None);
        Assert.Contains(QuorumFlags.QdeviceCastVote, bInfo.Quorum.Flags);
        Assert.DoesNotContain(QuorumFlags.QdeviceCastVote, (await a.GetInfoAsync(CancellationToken.None)).Quorum.Flags);
    }

    [Fact]
    public async Task Cluster_info_names_the_nodes_and_reports_links_and_membership_as_the_partition_is()
    {
        var config = new InMemoryClusterConfig("lab", [new(1, "astapor"), new(2, "braavos", Votes: 2), new(3, "carcosa")]);
        var network = new InMemoryNetwork(config, seed: 31);
        network.StartAll();
        network.Partition([1, 2], [3]);
        var a = network.Connect(1);
        var info = await a.GetInfoAsync(CancellationToken.None);

        Assert.Equal("lab", info.ClusterName);
        Assert.Equal(1u, info.LocalNodeId);
        Assert.Equal(["astapor", "braavos", "carcosa"], info.Nodes.Select(n => n.Name));
        Assert.Equal([true, true, false], info.Nodes.Select(n => n.Member));
        Assert.Equal([1u, 2u, 1u], info.Nodes.Select(n => n.Votes));
        Assert.Equal([(2u, true), (3u, false)], info.Links.Select(l => (l.PeerNodeId, l.Connected)));
        Assert.True(info.Quorum.Quorate);
        Assert.Equal((4u, 3u, 3u), (info.Quorum.ExpectedVotes, info.Quorum.TotalVotes, info.Quorum.Quorum));
        Assert.Equal("3000", info.Totem["token"]);
    }

    [Fact]
    public async Task A_message_larger_than_corosync_carries_is_refused_with_its_size()
    {
        var network = new InMemoryNetwork(ThreeNodes, seed: 37);
        network.StartAll();
        var a = network.Connect(1);
        Assert.True(await a.TrySendAsync(new byte[ClusterBusLimits.MaxMessageBytes], CancellationToken.None));
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => a.TrySendAsync(new byte[ClusterBusLimits.MaxMessageBytes + 1], CancellationToken.None).AsTask());
        Assert.Contains($"{ClusterBusLimits.MaxMessageBytes + 1} bytes", error.Message);
    }

    [Fact]
    public async Task The_sender_part_of_a_split_delivers_all_its_own_messages_in_flight()
    {
        // Over many seeds, messages in flight at a split are sometimes lost to the other side, never to the sender's.
        var lostToOtherSide = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var network = new InMemoryNetwork(ThreeNodes, seed);
            network.StartAll();
            var log = new EventLog();
            var sender = log.Track(network.Connect(1));
            var other = log.Track(network.Connect(3));
            for (var i = 0; i < 5; i++)
            {
                await Send(sender, $"m{i}");
            }
            network.Partition([1, 2], [3]);
            network.DeliverAll();
            Assert.Equal(["m0", "m1", "m2", "m3", "m4"], log.Messages(sender));
            var seen = log.Messages(other);
            Assert.Equal(new[] { "m0", "m1", "m2", "m3", "m4" }.Take(seen.Count), seen);
            lostToOtherSide += seen.Count < 5 ? 1 : 0;
        }
        Assert.InRange(lostToOtherSide, 1, 39);
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_run()
    {
        static async Task<List<string>> Run(int seed)
        {
            var network = new InMemoryNetwork(ThreeNodes, seed);
            network.StartAll();
            var log = new EventLog();
            var processes = new[] { log.Track(network.Connect(1)), log.Track(network.Connect(2)), log.Track(network.Connect(3)) };
            for (var i = 0; i < 12; i++)
            {
                await processes[i % 3].TrySendAsync(Bytes($"m{i}"), CancellationToken.None);
                if (i == 6)
                {
                    network.Partition([1], [2, 3]);
                }
                network.Step();
            }
            network.Heal();
            network.DeliverAll();
            return [.. log.All.SelectMany(kv => kv.Value.Select(e => $"{kv.Key}: {EventLog.Text(e)}"))];
        }

        Assert.Equal(await Run(41), await Run(41));
    }
}
