namespace Tandem.Model.Resources;

/// <summary>
/// The role of a resource instance. Unpromoted and Promoted were called Slave and Master before
/// Pacemaker 2.1: the old names are accepted on input everywhere, Tandem prints the new ones.
/// </summary>
public enum Role
{
    Unknown,
    Stopped,
    Started,
    Unpromoted,
    Promoted,
}

/// <summary>Parsing and printing of <see cref="Role"/> with the old names as synonyms.</summary>
public static class RoleNames
{
    public static bool TryParse(string? text, out Role role)
    {
        role = (text?.Trim().ToLowerInvariant()) switch
        {
            "stopped" => Role.Stopped,
            "started" => Role.Started,
            "unpromoted" or "slave" => Role.Unpromoted,
            "promoted" or "master" => Role.Promoted,
            "unknown" => Role.Unknown,
            _ => (Role)(-1),
        };
        return Enum.IsDefined(role);
    }

    public static Role Parse(string? text) =>
        TryParse(text, out var role) ? role : throw new FormatException($"invalid role '{text}' (expected Stopped, Started, Unpromoted, Promoted)");

    /// <summary>The name Tandem prints (Pacemaker 2.1 spelling).</summary>
    public static string ToName(this Role role) => role.ToString();
}
