namespace Tandem.Scheduler.Working;

/// <summary>The pseudo-actions that bracket clone notifications for one kind of action (start, stop, promote, demote).</summary>
internal sealed class NotificationData
{
    public required string Action { get; init; }
    public SchedAction? Pre { get; set; }
    public SchedAction? Post { get; set; }
    public SchedAction? PreDone { get; set; }
    public SchedAction? PostDone { get; set; }
    public NodeTable? AllowedNodes { get; set; }
    public List<(Resource Rsc, Node? Node)> Active { get; } = [];
    public List<(Resource Rsc, Node? Node)> Inactive { get; } = [];
    public List<(Resource Rsc, Node? Node)> Promoted { get; } = [];
    public List<(Resource Rsc, Node? Node)> Unpromoted { get; } = [];
    public List<(Resource Rsc, Node? Node)> Start { get; } = [];
    public List<(Resource Rsc, Node? Node)> Stop { get; } = [];
    public List<(Resource Rsc, Node? Node)> Promote { get; } = [];
    public List<(Resource Rsc, Node? Node)> Demote { get; } = [];
    /// <summary>The notification environment (notify_start_resource and so on), most recent first.</summary>
    public List<KeyValuePair<string, string>> Keys { get; } = [];
}
