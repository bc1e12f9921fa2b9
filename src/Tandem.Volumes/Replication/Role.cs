namespace Tandem.Volumes.Replication;

/// <summary>A replica's role (DRBD's names); <see cref="Unknown"/> only for a peer we cannot see.</summary>
public enum Role
{
    Unknown,
    Secondary,
    Primary,
}
