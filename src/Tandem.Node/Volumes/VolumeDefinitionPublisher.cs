using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tandem.Node.Volumes;

/// <summary>
/// The daemon's part in <c>tandem volume create</c>: writes the definitions addressed to this node, and
/// lets an API call wait until every replica node has answered its publication.
/// </summary>
public sealed class VolumeDefinitionPublisher(VolumeDefinitionFiles files, string nodeName, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    /// <summary>A delivered message for the host (on the daemon's loop); returns the answer to multicast, if any.</summary>
    public DaemonMessage? OnDelivered(DaemonMessage message)
    {
        switch (message)
        {
            case VolumeDefinitionPublish publish when publish.Nodes.Contains(nodeName):
                var error = files.Write(publish.Volume, publish.Document, publish.Replace);
                if (error is null)
                {
                    logger.LogInformation("volume {Volume}: definition written to {Directory}", publish.Volume, files.Directory);
                }
                else
                {
                    logger.LogWarning("volume {Volume}: definition not written: {Error}", publish.Volume, error);
                }
                return new VolumeDefinitionWritten(publish.RequestId, nodeName, error);
            case VolumeDefinitionWritten written when _pending.TryGetValue(written.RequestId, out var pending):
                pending.Answer(written);
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Sends a publication and waits for every addressed node's answer. Returns each node's error (null:
    /// written); nodes that did not answer within <paramref name="timeout"/> are missing from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> PublishAsync(
        string volume, string document, IReadOnlyList<string> nodes, bool replace,
        Func<DaemonMessage, CancellationToken, Task<bool>> send, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var publish = new VolumeDefinitionPublish(Guid.NewGuid().ToString("N"), volume, document, nodes, replace);
        var pending = new Pending(nodes);
        _pending[publish.RequestId] = pending;
        try
        {
            if (!await send(publish, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException("this node is not connected to the cluster (is corosync running?)");
            }
            try
            {
                await pending.Complete.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The answers so far tell the caller which nodes are missing.
            }
            return pending.Snapshot();
        }
        finally
        {
            _pending.TryRemove(publish.RequestId, out _);
        }
    }

    private sealed class Pending(IReadOnlyList<string> nodes)
    {
        private readonly Dictionary<string, string?> _answers = [];

        public TaskCompletionSource Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer(VolumeDefinitionWritten written)
        {
            lock (_answers)
            {
                if (nodes.Contains(written.Node))
                {
                    _answers[written.Node] = written.Error;
                }
                if (nodes.All(_answers.ContainsKey))
                {
                    Complete.TrySetResult();
                }
            }
        }

        public IReadOnlyDictionary<string, string?> Snapshot()
        {
            lock (_answers)
            {
                return new Dictionary<string, string?>(_answers);
            }
        }
    }
}
