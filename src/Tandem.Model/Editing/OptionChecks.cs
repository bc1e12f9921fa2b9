using Tandem.Model.Validation;

namespace Tandem.Model.Editing;

/// <summary>Checks of one option as a command sets it: refuse values the cluster would misread, mention names it does not know.</summary>
internal static class OptionChecks
{
    /// <exception cref="ConfigEditException">A known option with a value it does not accept.</exception>
    public static void Property(string name, string value, List<string> notes)
    {
        if (KnownOptions.Properties.TryGetValue(name, out var kind))
        {
            Check(kind, $"property {name}", value);
        }
        else if (KnownOptions.ResourceOptionsAsProperties.TryGetValue(name, out var option))
        {
            notes.Add($"'{name}' is a resource option, not a cluster property: Pacemaker ignores it here (set it with 'rsc_defaults {option}={value}' in the text face)");
        }
        else
        {
            notes.Add(KnownOptions.Suggest(name, KnownOptions.Properties.Keys) is { } suggestion
                ? $"unknown cluster property '{name}' (did you mean '{suggestion}'?); stored, but it has no effect"
                : $"unknown cluster property '{name}'; stored, but it has no effect");
        }
    }

    /// <exception cref="ConfigEditException">A known meta attribute with a value it does not accept.</exception>
    public static void Meta(string owner, string name, string value, List<string> notes)
    {
        if (KnownOptions.Meta.TryGetValue(name, out var kind))
        {
            Check(kind, $"{owner}: meta {name}", value);
        }
        else if (KnownOptions.Suggest(name, KnownOptions.Meta.Keys) is { } suggestion)
        {
            notes.Add($"{owner}: unknown meta attribute '{name}' (did you mean '{suggestion}'?); stored, but it has no effect");
        }
    }

    private static void Check(ValueKind kind, string what, string value)
    {
        if (value != "#default" && !kind.Accepts(value))
        {
            throw new ConfigEditException($"{what}: '{value}' is not valid (expected {kind.Expected})");
        }
    }
}
