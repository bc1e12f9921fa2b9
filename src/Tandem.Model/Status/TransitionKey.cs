using System.Globalization;

namespace Tandem.Model.Status;

/// <summary>
/// The key the coordinator gave an action (<c>action:transition:target-rc:coordinator-uuid</c>). Only the
/// expected result matters to scheduling; the other parts identify the transition that asked for it.
/// </summary>
public sealed record TransitionKey(int ActionId, int TransitionId, int TargetRc, string CoordinatorUuid)
{
    /// <summary>Parses a transition key; returns null when the text does not have the four parts.</summary>
    public static TransitionKey? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var parts = text.Split(':', 4);
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var action)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var transition)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var targetRc))
        {
            return null;
        }
        return new TransitionKey(action, transition, targetRc, parts[3]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ActionId}:{TransitionId}:{TargetRc}:{CoordinatorUuid}");
}
