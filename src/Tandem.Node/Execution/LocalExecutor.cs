using Microsoft.Extensions.Logging;
using Tandem.Agents;
using Tandem.Agents.Execution;
using Tandem.Node.Coordination;

namespace Tandem.Node.Execution;

/// <summary>
/// Carries out the coordinator's requests on this node with the agents' executor: one-shot operations,
/// recurring monitors (which report only changes), cancellations. Results go to <paramref name="report"/>,
/// which hands them to the daemon's loop.
/// </summary>
public sealed class LocalExecutor(Executor executor, Action<ExecuteAction, OperationResult> report, ILogger logger)
{
    public void Handle(ExecuteAction action)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await HandleAsync(action).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The executor never throws for agent failures; this is a bug, reported as the operation's failure.
                logger.LogError("executing {Resource} {Task}: {Error}", action.ResourceId, action.Task, e.Message);
                report(action, new OperationResult
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
        });
    }

    private async Task HandleAsync(ExecuteAction action)
    {
        if (action.Task == "cancel")
        {
            var operation = action.Meta.GetValueOrDefault("operation") ?? "monitor";
            await executor.CancelRecurringAsync(action.ResourceId, operation, action.IntervalMs).ConfigureAwait(false);
            return;
        }
        var request = ToRequest(action);
        if (request is null)
        {
            report(action, Unrunnable(action, $"unknown agent class '{action.Class}'"));
            return;
        }
        if (action.IntervalMs > 0)
        {
            await executor.CancelRecurringAsync(action.ResourceId, action.Task, action.IntervalMs).ConfigureAwait(false);
            executor.StartRecurring(request, result =>
            {
                if (result.Status != OperationStatus.Cancelled)
                {
                    report(action, result);
                }
            });
            return;
        }
        if (action.Task is "stop" or "demote" or "promote" or "migrate_to")
        {
            // A role change or a stop ends the monitors of the old state first, as Pacemaker's executor does.
            await executor.CancelAllRecurringAsync(action.ResourceId).ConfigureAwait(false);
        }
        report(action, await executor.RunAsync(request).ConfigureAwait(false));
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
