using Tandem.Model.Cib;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;
using Tandem.Model.Json;
using Tandem.Model.Text;

namespace Tandem.Model;

/// <summary>The three written forms of a configuration.</summary>
public enum ConfigFormat
{
    /// <summary>The crm-like text (what <c>crm configure show</c> prints).</summary>
    Text,

    /// <summary>Tandem's JSON document (storage and API).</summary>
    Json,

    /// <summary>Pacemaker's CIB XML.</summary>
    Cib,
}

/// <summary>A configuration read from one of its faces, with the version it carried and what the reading noticed.</summary>
public sealed record LoadedConfiguration(ClusterConfiguration Configuration, ConfigFormat Format, ConfigVersion Version, ValueList<Diagnostic> Diagnostics);

/// <summary>
/// Reading and writing a configuration in any face, recognising the face from the content, so that
/// commands and stores accept whichever form the operator has at hand.
/// </summary>
public static class ConfigFaces
{
    /// <summary>XML starts with '&lt;', JSON with '{'; anything else is text.</summary>
    public static ConfigFormat Detect(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var first = content.AsSpan().TrimStart().IsEmpty ? ' ' : content.AsSpan().TrimStart()[0];
        return first switch
        {
            '<' => ConfigFormat.Cib,
            '{' => ConfigFormat.Json,
            _ => ConfigFormat.Text,
        };
    }

    /// <exception cref="FormatException">The content is not a readable configuration of that face (a <see cref="CibFormatException"/>,
    /// <see cref="ConfigJsonException"/> or <see cref="TextParseException"/>, one line naming the position).</exception>
    public static LoadedConfiguration Read(string content, ConfigFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        switch (format ?? Detect(content))
        {
            case ConfigFormat.Cib:
                var cib = CibImport.Parse(content);
                return new LoadedConfiguration(cib.Configuration, ConfigFormat.Cib, cib.Header.Version, cib.Diagnostics);
            case ConfigFormat.Json:
                var json = ConfigJson.Deserialize(content);
                return new LoadedConfiguration(json.Configuration, ConfigFormat.Json, json.Version, []);
            default:
                return new LoadedConfiguration(TextParser.Parse(content), ConfigFormat.Text, default, []);
        }
    }

    public static string Write(ClusterConfiguration configuration, ConfigFormat format, ConfigVersion version = default) => format switch
    {
        ConfigFormat.Cib => CibExport.ToText(configuration, VersionHeader(version)),
        ConfigFormat.Json => ConfigJson.Serialize(configuration, version),
        _ => TextPrinter.Print(configuration),
    };

    /// <summary>text (or crm), json, cib (or xml).</summary>
    public static bool TryParseFormat(string? name, out ConfigFormat format)
    {
        (var known, format) = name?.Trim().ToLowerInvariant() switch
        {
            "text" or "crm" => (true, ConfigFormat.Text),
            "json" => (true, ConfigFormat.Json),
            "cib" or "xml" => (true, ConfigFormat.Cib),
            _ => (false, ConfigFormat.Text),
        };
        return known;
    }

    private static CibHeader VersionHeader(ConfigVersion version) => new(
    [
        KeyValuePair.Create("admin_epoch", version.AdminEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        KeyValuePair.Create("epoch", version.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        KeyValuePair.Create("num_updates", version.NumUpdates.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        KeyValuePair.Create("validate-with", CibExport.SchemaVersion),
    ]);
}
