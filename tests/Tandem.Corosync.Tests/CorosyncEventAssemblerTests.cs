using Tandem.Bus;
using Tandem.Corosync.Native;
using Change = Tandem.Corosync.CorosyncEventAssembler.Confchg;

namespace Tandem.Corosync.Tests;

/// <summary>
/// Callback sequences as corosync 3.1.7 dispatches them (exec/cpg.c) and the events the bus makes of them.
/// </summary>
public sealed class CorosyncEventAssemblerTests
{
    private static readonly BusMember Self = new(1, 100);
    private static readonly BusMember Peer = new(2, 200);
    private static readonly BusMember Third = new(3, 300);

    private static CorosyncEventAssembler Connected(ulong ring, params BusMember[] others)
    {
        var assembler = new CorosyncEventAssembler(Self.NodeId, Self.Pid);
        BusMember[] members = [Self, .. others];
        assembler.OnConfchg(new Change(members, [], [(Self, Cpg.Reason.Join)]));
        assembler.OnTotemConfchg(ring);
        return assembler;
    }

    [Fact]
    public void Own_join_is_announced_after_the_initial_ring_as_connected_then_a_view_naming_only_itself_joined()
    {
        var assembler = new CorosyncEventAssembler(Self.NodeId, Self.Pid);
        Assert.Empty(assembler.OnConfchg(new Change([Peer, Self], [], [(Self, Cpg.Reason.Join)])));
        Assert.Empty(assembler.OnQuorum(true, 8, [2, 1]));

        var events = assembler.OnTotemConfchg(8);

        Assert.Equal(new BusConnected(Self), events[0]);
        var view = Assert.IsType<ViewChanged>(events[1]);
        Assert.Equal(8ul, view.RingSeq);
        Assert.Equal([Self, Peer], view.Members);
        Assert.Equal([Self], view.Joined);
        Assert.Empty(view.Left);
        var quorum = Assert.IsType<QuorumChanged>(events[2]);
        Assert.True(quorum.Quorate);
        Assert.Equal([1u, 2u], quorum.Nodes);
    }

    [Fact]
    public void Self_is_the_one_process_of_this_node_that_joined_when_its_pid_is_seen_differently()
    {
        var assembler = new CorosyncEventAssembler(Self.NodeId, localPid: 4242);
        assembler.OnConfchg(new Change([Self], [], [(Self, Cpg.Reason.Join)]));
        Assert.Equal(new BusConnected(Self), assembler.OnTotemConfchg(4)[0]);
    }

    [Fact]
    public void A_process_joining_or_leaving_on_its_own_changes_the_view_at_once_in_the_current_ring()
    {
        var assembler = Connected(12);
        var joined = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnConfchg(new Change([Self, Peer], [], [(Peer, Cpg.Reason.Join)]))));
        Assert.Equal(12ul, joined.RingSeq);
        Assert.Equal([Peer], joined.Joined);

        var left = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnConfchg(new Change([Self], [(Peer, Cpg.Reason.Leave)], []))));
        Assert.Equal(LeaveReason.Leave, left.LeftReasons[Peer]);

        assembler.OnConfchg(new Change([Self, Third], [], [(Third, Cpg.Reason.Join)]));
        var crashed = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnConfchg(new Change([Self], [(Third, Cpg.Reason.ProcDown)], []))));
        Assert.Equal(LeaveReason.ProcessDown, crashed.LeftReasons[Third]);
    }

    [Fact]
    public void A_node_loss_waits_for_the_new_ring_and_carries_its_sequence_number()
    {
        var assembler = Connected(12, Peer);
        Assert.Empty(assembler.OnConfchg(new Change([Self], [(Peer, Cpg.Reason.NodeDown)], [])));

        var view = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnTotemConfchg(16)));

        Assert.Equal(16ul, view.RingSeq);
        Assert.Equal([Self], view.Members);
        Assert.Equal([Peer], view.Left);
        Assert.Equal(LeaveReason.NodeDown, view.LeftReasons[Peer]);
    }

    [Fact]
    public void A_ring_change_that_loses_one_node_and_gains_another_is_one_view()
    {
        var assembler = Connected(12, Peer);
        Assert.Empty(assembler.OnConfchg(new Change([Self], [(Peer, Cpg.Reason.NodeDown)], [])));
        Assert.Empty(assembler.OnConfchg(new Change([Self, Third], [], [(Third, Cpg.Reason.NodeUp)])));

        var view = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnTotemConfchg(20)));

        Assert.Equal(new[] { Self, Third }, view.Members);
        Assert.Equal(new[] { Peer }, view.Left);
        Assert.Equal(new[] { Third }, view.Joined);
    }

    [Fact]
    public void A_ring_change_without_group_change_only_moves_the_ring_sequence_number()
    {
        var assembler = Connected(12, Peer);
        Assert.Empty(assembler.OnTotemConfchg(16));
        var view = Assert.IsType<ViewChanged>(Assert.Single(assembler.OnConfchg(new Change([Self, Peer, Third], [], [(Third, Cpg.Reason.Join)]))));
        Assert.Equal(16ul, view.RingSeq);
    }

    [Fact]
    public void A_message_after_held_changes_comes_after_their_view()
    {
        var assembler = Connected(12, Peer);
        assembler.OnConfchg(new Change([Self], [(Peer, Cpg.Reason.NodeDown)], []));

        var events = assembler.OnMessage(Self, new byte[] { 1 });

        Assert.IsType<ViewChanged>(events[0]);
        Assert.IsType<MessageDelivered>(events[1]);
        Assert.Empty(assembler.OnTotemConfchg(16));
    }

    [Fact]
    public void Quorum_changes_pass_through_once_connected()
    {
        var assembler = Connected(12);
        var quorum = Assert.IsType<QuorumChanged>(Assert.Single(assembler.OnQuorum(false, 16, [3, 1])));
        Assert.False(quorum.Quorate);
        Assert.Equal(16ul, quorum.RingSeq);
        Assert.Equal([1u, 3u], quorum.Nodes);
    }
}
