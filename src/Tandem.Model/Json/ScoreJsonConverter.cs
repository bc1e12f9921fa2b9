using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Model.Scores;

namespace Tandem.Model.Json;

/// <summary>Writes a score as Pacemaker spells it ("INFINITY", "-INFINITY", "100"); reads a string or a number.</summary>
public sealed class ScoreJsonConverter : JsonConverter<Score>
{
    public override Score Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return new Score(reader.GetInt64());
        }
        var text = reader.GetString();
        return Score.TryParse(text, out var score, out var error) ? score : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Score value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
