using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tandem.Node.Api;

/// <summary>The JSON style of the local API, shared by server and client.</summary>
public static class LocalApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
