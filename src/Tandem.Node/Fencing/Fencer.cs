using Microsoft.Extensions.Logging;
using Tandem.Agents;
using Tandem.Agents.Execution;

namespace Tandem.Node.Fencing;

/// <summary>
/// Carries out a fence request on this node with the fence agents (stdin protocol, through the executor):
/// levels in order until one succeeds; in a level every device must succeed. Before acting, a device whose
/// eligibility is not static is asked: its <c>list</c> must name the target's port (or the target), or its
/// <c>status</c> must answer on or off for the port; a device without a list falls back to status, as
/// Pacemaker's fencer does. The outcome is a <see cref="FenceResult"/>; nothing here throws for agent failures.
/// </summary>
public sealed class Fencer(Executor executor, string nodeName, TimeProvider time, ILogger logger)
{
    public async Task<FenceResult> FenceAsync(FenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failures = new List<string>();
        foreach (var level in request.Levels)
        {
            var done = new List<string>();
            string? failure = null;
            foreach (var device in level)
            {
                failure = await UseAsync(device, request.Target, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    break;
                }
                done.Add(device.DeviceId);
            }
            if (failure is null)
            {
                logger.LogWarning("fenced {Target} ({Action}) with {Devices}", request.Target, request.Action, string.Join("+", done));
                return new FenceResult(request.RequestId, nodeName, request.Target, request.Action, true, string.Join("+", done), null, time.GetUtcNow());
            }
            logger.LogError("fencing {Target} ({Action}): {Failure}", request.Target, request.Action, failure);
            failures.Add(failure);
        }
        var reason = failures.Count == 0 ? "no fence device to try" : string.Join("; ", failures);
        return new FenceResult(request.RequestId, nodeName, request.Target, request.Action, false, "", reason, time.GetUtcNow());
    }

    /// <summary>Null on success, else why the device did not fence the target.</summary>
    private async Task<string?> UseAsync(FenceDeviceCall device, string target, CancellationToken cancellationToken)
    {
        var eligible = await EligibleAsync(device, target, cancellationToken).ConfigureAwait(false);
        if (eligible is not null)
        {
            return $"{device.DeviceId}: {eligible}";
        }
        var result = await RunAsync(device, device.Action, target, device.TimeoutMs, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == OcfExitCode.Success
            ? null
            : $"{device.DeviceId}: {device.AgentType} {device.Action} {Describe(result)}";
    }

    private async Task<string?> EligibleAsync(FenceDeviceCall device, string target, CancellationToken cancellationToken)
    {
        switch (device.Check)
        {
            case HostCheck.StaticList or HostCheck.None:
                return null;
            case HostCheck.Status:
                return await StatusAsync(device, target, cancellationToken).ConfigureAwait(false);
        }
        var list = await RunAsync(device, "list", null, device.CheckTimeoutMs, cancellationToken).ConfigureAwait(false);
        if (list.ExitCode != OcfExitCode.Success)
        {
            return device.Check is null
                ? await StatusAsync(device, target, cancellationToken).ConfigureAwait(false)
                : $"its list failed ({Describe(list)})";
        }
        var targets = HostMap.ParseTargets(list.Stdout);
        return targets.Any(t => string.Equals(t, device.Port, StringComparison.OrdinalIgnoreCase) || string.Equals(t, target, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"its list does not name {device.Port}";
    }

    private async Task<string?> StatusAsync(FenceDeviceCall device, string target, CancellationToken cancellationToken)
    {
        var status = await RunAsync(device, "status", target, device.CheckTimeoutMs, cancellationToken).ConfigureAwait(false);
        return status.ExitCode is OcfExitCode.Success or OcfExitCode.NotRunning
            ? null
            : $"its status for {device.Port} failed ({Describe(status)})";
    }

    private Task<OperationResult> RunAsync(FenceDeviceCall device, string action, string? target, long timeoutMs, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(device.Parameters, StringComparer.Ordinal);
        if (target is not null && device.HostArgument is { } hostArgument)
        {
            parameters[hostArgument] = device.Port;
        }
        var request = new OperationRequest(device.DeviceId, new AgentName(AgentClass.Stonith, null, device.AgentType), action)
        {
            TimeoutMs = timeoutMs,
            Parameters = parameters,
            FenceTarget = target,
        };
        return executor.RunAsync(request, cancellationToken);
    }

    private static string Describe(OperationResult result) =>
        $"returned {result.RawExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.Status.ToString()}{(result.ExitReason is { Length: > 0 } reason ? $": {reason}" : "")}{(result.Stderr.Trim() is { Length: > 0 } stderr ? $" ({stderr.Split('\n')[^1]})" : "")}";
}
