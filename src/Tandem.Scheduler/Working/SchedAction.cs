using Tandem.Model.Resources;

namespace Tandem.Scheduler.Working;

/// <summary>
/// One action of the plan (or a candidate that ends up optional): a resource operation on a node, a
/// pseudo-action marking a group or clone milestone, or a node action (fence, shutdown). Flags say
/// whether it is required and runnable; orderings link it to the actions before and after it.
/// </summary>
internal sealed class SchedAction(int id, string uuid, string task)
{
    public int Id { get; set; } = id;
    /// <summary>The action key, such as <c>rsc1_start_0</c> or <c>stonith-node1-reboot</c>.</summary>
    public string Uuid { get; } = uuid;
    public string Task { get; set; } = task;
    public string? CancelTask { get; set; }
    public Resource? Rsc { get; init; }
    public Node? Node { get; set; }
    public ActionFlags Flags { get; set; }
    public int Priority { get; set; }
    public ActionRequires Needs { get; set; }
    public OnFail OnFail { get; set; } = OnFail.Ignore;
    public Role FailRole { get; set; } = Role.Unknown;
    public OperationDefinition? OpEntry { get; set; }
    public string? Reason { get; set; }
    public Dictionary<string, string> Meta { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);
    public int RunnableBefore { get; set; }
    public int RequiredRunnableBefore { get; set; }
    public PrependList<ActionWrapper> ActionsBefore { get; } = new();
    public PrependList<ActionWrapper> ActionsAfter { get; } = new();

    public bool Is(ActionFlags flag) => (Flags & flag) == flag;

    public bool IsAny(ActionFlags flags) => (Flags & flags) != 0;

    public void Set(ActionFlags flag) => Flags |= flag;

    public void Clear(ActionFlags flag) => Flags &= ~flag;

    public override string ToString() => Node is null ? Uuid : $"{Uuid} on {Node.Uname}";
}
