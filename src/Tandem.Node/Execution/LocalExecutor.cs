using Microsoft.Extensions.Logging;
using Tandem.Agents;
using Tandem.Agents.Execution;
using Tandem.Node.Coordination;

namespace Tandem.Node.Execution;

/// <summary>
/// Carries out the coordinator's requests on this node with the agents' executor: one-shot operations,
/// recurring monitors (which report only changes), cancellations (reported done, so the node's status
/// forgets the cancelled operation). Results go to <paramref name="report"/>, which hands them to the
/// daemon's loop. A resource's requests are handled one after the other in the order they were
/// delivered (the coordinator relies on it: a monitor sent after a promote must see the promoted
/// resource); different resources' requests run concurrently. Every result is logged with its completion
/// time, as Pacemaker's controller logs "Result of start operation": the log is how an operator (and the
/// failover benchmark) times what happened after an event.
/// </summary>
public sealed class LocalExecutor(Executor executor, Action<ExecuteAction, OperationResult> report, ILogger logger)
{
    // The last request of each resource, which the next one waits for. Handle is called in delivery order.
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);

    /// <summary>What a cancellation reports once the recurring operation has ended (or was not running).</summary>
    public static OperationResult CancelDone(ExecuteAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new OperationResult
        {
            ResourceId = action.ResourceId,
            Action = action.Task,
            IntervalMs = action.IntervalMs,
            Status = OperationStatus.Success,
            ExitCode = OcfExitCode.Success,
        };
    }

    private void Report(ExecuteAction action, OperationResult result)
    {
        logger.LogInformation("result: {Resource} {Task}{Interval}: {Status}, exit {Exit}{Reason} ({DurationMs:0} ms)",
            action.ResourceId, action.Task, action.IntervalMs > 0 ? $" every {action.IntervalMs} ms" : "", result.Status, (int)result.ExitCode,
            result.ExitReason is null ? "" : $", {result.ExitReason}", result.Duration.TotalMilliseconds);
        report(action, result);
    }

    public void Handle(ExecuteAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_tails)
        {
            var previous = _tails.GetValueOrDefault(action.ResourceId) ?? Task.CompletedTask;
            var next = previous.ContinueWith(_ => HandleReportingAsync(action), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            _tails[action.ResourceId] = next;
            _ = next.ContinueWith(Forget, action.ResourceId, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every request handed over so far has been handled (for tests and shutdown).</summary>
    public Task Idle()
    {
        lock (_tails)
        {
            return Task.WhenAll(_tails.Values);
        }
    }

    private void Forget(Task done, object? resourceId)
    {
        lock (_tails)
        {
            if (_tails.GetValueOrDefault((string)resourceId!) == done)
            {
                _tails.Remove((string)resourceId!);
            }
        }
    }

    private async Task HandleReportingAsync(ExecuteAction action)
    {
        try
        {
            await HandleAsync(action).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The executor never throws for agent failures; this is a bug, reported as the operation's failure.
            logger.LogError("executing {Resource} {Task}: {Error}", action.ResourceId, action.Task, e.Message);
            Report(action, new OperationResult
            {
                ResourceId = action.ResourceId,
                Action = action.Task,
                IntervalMs = action.IntervalMs,
                Status = OperationStatus.Error,
                ExitCode = OcfExitCode.ErrGeneric,
                ErrorClass = ErrorClass.Soft,
                ExitReason = e.Message,
            });
        }
    }

    private async Task HandleAsync(ExecuteAction action)
    {
        if (action.Task == "cancel")
        {
            var operation = action.Meta.GetValueOrDefault("operation") ?? "monitor";
            await executor.CancelRecurringAsync(action.ResourceId, operation, action.IntervalMs).ConfigureAwait(false);
            report(action, CancelDone(action));
            return;
        }
        var request = ToRequest(action);
        if (request is null)
        {
            Report(action, Unrunnable(action, $"unknown agent class '{action.Class}'"));
            return;
        }
        if (action.IntervalMs > 0)
        {
            await executor.CancelRecurringAsync(action.ResourceId, action.Task, action.IntervalMs).ConfigureAwait(false);
            executor.StartRecurring(request, result =>
            {
                if (result.Status != OperationStatus.Cancelled)
                {
                    Report(action, result);
                }
            });
            return;
        }
        if (action.Task is "stop" or "demote" or "promote" or "migrate_to")
        {
            // A role change or a stop ends the monitors of the old state first, as Pacemaker's executor does.
            await executor.CancelAllRecurringAsync(action.ResourceId).ConfigureAwait(false);
        }
        Report(action, await executor.RunAsync(request).ConfigureAwait(false));
    }

    private static OperationRequest? ToRequest(ExecuteAction action)
    {
        if (action.Class is null || action.Type is null || !AgentName.TryParseClass(action.Class, out var agentClass))
        {
            return null;
        }
        return new OperationRequest(action.ResourceId, new AgentName(agentClass, action.Provider, action.Type), action.Task)
        {
            IntervalMs = action.IntervalMs,
            TimeoutMs = action.TimeoutMs,
            Parameters = action.Parameters,
            Meta = action.Meta,
        };
    }

    private static OperationResult Unrunnable(ExecuteAction action, string reason) => new()
    {
        ResourceId = action.ResourceId,
        Action = action.Task,
        IntervalMs = action.IntervalMs,
        Status = OperationStatus.Error,
        ExitCode = OcfExitCode.ErrInstalled,
        ErrorClass = ErrorClass.Hard,
        ExitReason = reason,
    };
}
