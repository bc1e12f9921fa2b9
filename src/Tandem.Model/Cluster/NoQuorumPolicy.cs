namespace Tandem.Model.Cluster;

/// <summary>What a partition without quorum does with its resources.</summary>
public enum NoQuorumPolicy
{
    /// <summary>Stop every resource in the partition (the default).</summary>
    Stop,

    /// <summary>Keep running what runs, start nothing.</summary>
    Freeze,

    /// <summary>Carry on as if quorate: safe only when fencing or a quorum device settles splits.</summary>
    Ignore,

    /// <summary>Demote promoted instances, stop the rest.</summary>
    Demote,

    /// <summary>Fence every node of the partition.</summary>
    Suicide,
}

/// <summary>The CIB spellings of <see cref="NoQuorumPolicy"/>.</summary>
public static class NoQuorumPolicyNames
{
    public static string ToName(this NoQuorumPolicy policy) => policy.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out NoQuorumPolicy policy) => EnumNames.TryParse(text, out policy);
}
