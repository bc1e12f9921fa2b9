namespace Tandem.Model.Resources;

/// <summary>What the cluster does when an operation fails.</summary>
public enum OnFail
{
    Ignore,
    Block,
    Demote,
    Stop,
    Restart,
    Standby,
    Fence,
    RestartContainer,
}

/// <summary>The CIB spellings of <see cref="OnFail"/> (lowercase, restart-container).</summary>
public static class OnFailNames
{
    public static string ToName(this OnFail value) => value == OnFail.RestartContainer ? "restart-container" : value.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out OnFail value)
    {
        foreach (var candidate in Enum.GetValues<OnFail>())
        {
            if (string.Equals(candidate.ToName(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        // Pacemaker also reads "nothing" as ignore.
        value = OnFail.Ignore;
        return string.Equals(text?.Trim(), "nothing", StringComparison.OrdinalIgnoreCase);
    }
}
