using Tandem.Model.Cluster;
using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>`tandem property set|unset`: cluster properties in crm_config, as the text face's "property" writes them.</summary>
public static class PropertyEdits
{
    public static ConfigEdit Set(ClusterConfiguration configuration, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(name);
        var notes = new List<string>();
        OptionChecks.Property(name, value, notes);
        var properties = AttributeEdits.Set(configuration.Properties, name, value, TextIds.PropertySet, ClusterOptions.BootstrapSetId);
        return new ConfigEdit(configuration with { Properties = properties }, notes);
    }

    public static ConfigEdit Unset(ClusterConfiguration configuration, string name)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CheckName(name);
        if (!AttributeEdits.TryUnset(configuration.Properties, name, out var properties))
        {
            throw new ConfigEditException($"property '{name}' is not set");
        }
        return ConfigEdit.Of(configuration with { Properties = properties });
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace) || name.Contains('='))
        {
            throw new ConfigEditException($"invalid property name '{name}'");
        }
    }
}
