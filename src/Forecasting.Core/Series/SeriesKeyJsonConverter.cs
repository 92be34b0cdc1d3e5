using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Core.Series;

/// <summary>Writes a <see cref="SeriesKey"/> as its text (<c>project/model</c>) and reads it back: the edge where stored documents (plans) become keys again.</summary>
public sealed class SeriesKeyJsonConverter : JsonConverter<SeriesKey>
{
    public override SeriesKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a series key is a string");
        try
        {
            return SeriesKey.Parse(text);
        }
        catch (InvalidInputException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, SeriesKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
