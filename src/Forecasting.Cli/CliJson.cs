using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core.Backtesting;

namespace Forecasting.Cli;

/// <summary>
/// <c>--json</c>: one JSON object on standard output (snake_case, numbers that are not finite as null) and nothing
/// else there; spinners and logs go to standard error either way.
/// </summary>
internal static class CliJson
{
    public static Option<bool> Option() => new("--json")
    {
        Description = "Print a machine-readable JSON summary on standard output (and nothing else there)",
    };

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new FiniteDoubleConverter() },
    };

    public static void Write(object summary)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(summary, Options));
        Console.Out.Flush();
    }

    public static object Scores(IEnumerable<ModelScore> scores) =>
        scores.Select(s => new { model = s.Model, s.Mae, s.Smape, s.Mase, s.RelativeMae, s.Coverage, s.Points, s.P90AboveHistoryMax }).ToList();

    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
