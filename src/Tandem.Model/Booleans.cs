namespace Tandem.Model;

/// <summary>Pacemaker's booleans: true/on/yes/y/1 and false/off/no/n/0, in any case.</summary>
public static class Booleans
{
    public static bool TryParse(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true" or "on" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "off" or "no" or "n" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static string ToName(bool value) => value ? "true" : "false";
}
