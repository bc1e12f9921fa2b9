namespace Tandem.Model.Constraints;

/// <summary>The actions an order constraint can name.</summary>
public enum ResourceAction
{
    Start,
    Stop,
    Promote,
    Demote,
}

/// <summary>The kind of an order constraint.</summary>
public enum OrderKind
{
    /// <summary>The second action waits for the first, and is redone when the first is.</summary>
    Mandatory,

    /// <summary>Applies only when both actions happen in the same transition.</summary>
    Optional,

    /// <summary>The two actions never run at the same time, in either order.</summary>
    Serialize,
}

/// <summary>What a location constraint does to resource discovery (probes) on its nodes.</summary>
public enum ResourceDiscovery
{
    Always,
    Never,
    Exclusive,
}

/// <summary>Lowercase CIB spellings of the constraint enums.</summary>
public static class ConstraintNames
{
    public static string ToName(this ResourceAction action) => action.ToString().ToLowerInvariant();

    public static string ToName(this ResourceDiscovery discovery) => discovery.ToString().ToLowerInvariant();

    public static bool TryParseAction(string? text, out ResourceAction action) => EnumNames.TryParse(text, out action);

    public static bool TryParseKind(string? text, out OrderKind kind) => EnumNames.TryParse(text, out kind);

    public static bool TryParseDiscovery(string? text, out ResourceDiscovery discovery) => EnumNames.TryParse(text, out discovery);
}
