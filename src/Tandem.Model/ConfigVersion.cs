namespace Tandem.Model;

/// <summary>
/// The version of a configuration, compared as Pacemaker compares CIBs: admin_epoch first (raised by
/// administrators to force a version to win), then epoch (each configuration change), then
/// num_updates (status-only changes).
/// </summary>
public readonly record struct ConfigVersion(long AdminEpoch, long Epoch, long NumUpdates) : IComparable<ConfigVersion>
{
    public int CompareTo(ConfigVersion other)
    {
        var byAdmin = AdminEpoch.CompareTo(other.AdminEpoch);
        if (byAdmin != 0)
        {
            return byAdmin;
        }
        var byEpoch = Epoch.CompareTo(other.Epoch);
        return byEpoch != 0 ? byEpoch : NumUpdates.CompareTo(other.NumUpdates);
    }

    public static bool operator <(ConfigVersion a, ConfigVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(ConfigVersion a, ConfigVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(ConfigVersion a, ConfigVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ConfigVersion a, ConfigVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{AdminEpoch}.{Epoch}.{NumUpdates}";
}
