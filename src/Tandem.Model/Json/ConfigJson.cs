using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Tandem.Model.Collections;

namespace Tandem.Model.Json;

/// <summary>
/// The JSON face of the model: the storage and API format. A document is
/// <c>{"format": "tandem-config", "formatVersion": 1, "version": {...}, "configuration": {...}}</c>;
/// the format version changes when the shape does, so that old files are recognised. Reading is strict:
/// unknown properties, wrong types and truncated files are errors naming the line and column.
/// </summary>
public static class ConfigJson
{
    public const string FormatName = "tandem-config";
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitEmptyOptionalProperties } },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static string Serialize(ClusterConfiguration configuration, ConfigVersion version = default) =>
        JsonSerializer.Serialize(new ConfigDocument(FormatName, FormatVersion, configuration) { Version = version }, Options) + "\n";

    /// <exception cref="ConfigJsonException">The text is not a valid configuration document; the message names the position.</exception>
    public static ConfigDocument Deserialize(string json)
    {
        // The format marker is checked first, so that another kind of file gets "not a Tandem
        // configuration" rather than complaints about its fields.
        var header = Read<FormatHeader>(json, HeaderOptions);
        if (header.Format != FormatName)
        {
            throw new ConfigJsonException(header.Format is null
                ? $"not a Tandem configuration (no \"format\": \"{FormatName}\")"
                : $"not a Tandem configuration (format is '{header.Format}', expected '{FormatName}')");
        }
        if (header.FormatVersion != FormatVersion)
        {
            var found = header.FormatVersion?.ToString(CultureInfo.InvariantCulture) ?? "(none)";
            throw new ConfigJsonException(header.FormatVersion > FormatVersion
                ? $"unsupported format version {found}: written by a newer Tandem (this one reads version {FormatVersion}); upgrade Tandem to read it"
                : $"unsupported format version {found} (this Tandem reads version {FormatVersion})")
            {
                FoundFormatVersion = header.FormatVersion,
            };
        }
        return Read<ConfigDocument>(json, Options);
    }

    private static readonly JsonSerializerOptions HeaderOptions = new(JsonSerializerDefaults.Web);

    private static T Read<T>(string json, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, options) ?? throw new ConfigJsonException("the document is null, expected an object");
        }
        catch (JsonException e)
        {
            throw new ConfigJsonException(Describe(e.Message, e.Path), e.LineNumber + 1, e.BytePositionInLine + 1);
        }
        catch (NotSupportedException e)
        {
            // Raised for a missing or unknown "kind"/"type" discriminator; its position is only in the text.
            var position = System.Text.RegularExpressions.Regex.Match(e.Message, @"Path: (\S+) \| LineNumber: (\d+) \| BytePositionInLine: (\d+)");
            var message = Describe(e.InnerException?.Message ?? e.Message, position.Success ? position.Groups[1].Value : null);
            throw position.Success
                ? new ConfigJsonException(message, long.Parse(position.Groups[2].Value, CultureInfo.InvariantCulture) + 1, long.Parse(position.Groups[3].Value, CultureInfo.InvariantCulture) + 1)
                : new ConfigJsonException(message);
        }
    }

    private sealed record FormatHeader(string? Format, int? FormatVersion);

    // Optional properties (not constructor parameters) are left out when null or an empty list, to keep
    // documents short; a missing optional property reads as null or empty.
    private static void OmitEmptyOptionalProperties(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (property.AssociatedParameter is not null)
            {
                // Constructor parameters are required on reading, so they are always written, null included.
                property.IsRequired = true;
            }
            else
            {
                property.ShouldSerialize = (_, value) => value is not null and not ICountable { Count: 0 };
            }
        }
    }

    // System.Text.Json appends "Path: $.x | LineNumber: 3 | BytePositionInLine: 4." to its messages;
    // the position is reported separately, the path is kept because it names the field.
    private static string Describe(string message, string? path)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        var text = (cut > 0 ? message[..cut] : message).Trim();
        return path is { Length: > 1 } ? $"{text.TrimEnd('.')} (at {path})" : text.TrimEnd('.');
    }
}

/// <summary>The JSON document: format marker, format version, configuration version and the configuration.</summary>
public sealed record ConfigDocument(string Format, int FormatVersion, ClusterConfiguration Configuration)
{
    public ConfigVersion Version { get; init; }
}
