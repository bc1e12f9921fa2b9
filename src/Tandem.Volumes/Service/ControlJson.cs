using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Volumes.Service;

/// <summary>JSON of the control socket: camelCase, enums as names.</summary>
public static class ControlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
