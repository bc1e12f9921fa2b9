using Tandem.Node.Coordination;
using Tandem.Scheduler.Graph;

namespace Tandem.Node.Tests.Coordination;

/// <summary>The transition engine's bookkeeping, on hand-made graphs.</summary>
public class TransitionRunTests
{
    private static GraphAction Action(int id, GraphActionKind kind, string task) => new()
    {
        Id = id,
        Kind = kind,
        Task = task,
        Key = $"{task}_{id}",
        NodeName = kind == GraphActionKind.Pseudo ? null : "astapor",
        ResourceId = "vip",
        Attributes = [],
    };

    [Fact]
    public void A_run_whose_remaining_actions_wait_for_an_action_left_out_of_the_graph_completes_once_nothing_is_in_flight()
    {
        // Found by the fault simulator: a start waiting for a blocked stop (not in the graph) kept the run open
        // for good, and the coordinator never planned again.
        var start = Action(1, GraphActionKind.ResourceOperation, "start");
        var monitor = Action(2, GraphActionKind.ResourceOperation, "monitor");
        var blockedStop = Action(9, GraphActionKind.ResourceOperation, "stop");
        var run = new TransitionRun(1, new TransitionGraph([new Synapse(0, 0, monitor, []), new Synapse(1, 0, start, [blockedStop])], []));
        var now = DateTimeOffset.UnixEpoch;

        var fired = run.TakeReady(now, _ => TimeSpan.FromSeconds(50));
        Assert.Equal([monitor], fired);
        Assert.False(run.IsComplete);

        run.Confirm(monitor.Id);
        Assert.Empty(run.TakeReady(now, _ => TimeSpan.FromSeconds(50)));
        Assert.True(run.IsComplete);
        Assert.Equal(ActionState.Waiting, run.State(start.Id));
        Assert.True(run.DidWork);
        Assert.True(run.LeftIncomplete);
    }

    [Fact]
    public void A_run_whose_every_action_came_back_left_nothing_incomplete()
    {
        var start = Action(1, GraphActionKind.ResourceOperation, "start");
        var monitor = Action(2, GraphActionKind.ResourceOperation, "monitor");
        var run = new TransitionRun(1, new TransitionGraph([new Synapse(0, 0, start, []), new Synapse(1, 0, monitor, [start])], []));
        var now = DateTimeOffset.UnixEpoch;
        run.Confirm(Assert.Single(run.TakeReady(now, _ => TimeSpan.FromSeconds(50))).Id);
        Assert.False(run.IsComplete);
        run.Confirm(Assert.Single(run.TakeReady(now, _ => TimeSpan.FromSeconds(50))).Id);

        Assert.True(run.IsComplete);
        Assert.True(run.DidWork);
        Assert.False(run.LeftIncomplete);
    }

    [Fact]
    public void A_run_of_pseudo_actions_alone_did_no_work()
    {
        var run = new TransitionRun(1, new TransitionGraph([new Synapse(0, 0, Action(1, GraphActionKind.Pseudo, "stopped"), [])], []));
        foreach (var action in run.TakeReady(DateTimeOffset.UnixEpoch, _ => TimeSpan.FromSeconds(1)))
        {
            run.Confirm(action.Id);
        }
        Assert.True(run.IsComplete);
        Assert.False(run.DidWork);
    }
}
