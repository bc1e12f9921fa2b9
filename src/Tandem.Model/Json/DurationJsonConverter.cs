using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Model.Durations;

namespace Tandem.Model.Json;

/// <summary>Writes a duration in its shortest exact spelling ("30s"); reads that, any Pacemaker spelling, or a number of milliseconds.</summary>
public sealed class DurationJsonConverter : JsonConverter<Duration>
{
    public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var ms = reader.GetInt64();
            return ms >= 0 ? new Duration(ms) : throw new JsonException($"invalid duration {ms} (negative)");
        }
        var text = reader.GetString();
        return Duration.TryParse(text, out var duration, out var error) ? duration : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
