using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>
/// A plan as stored beside its forecast run (the run's points are stored once, in the run). Carries
/// the run's identity so a reader never pairs a plan with another run.
/// </summary>
internal sealed record PlanDocument(
    string Target,
    string ModelVersion,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<SeriesCost> Costs,
    IReadOnlyList<SeriesSummary> Summaries,
    IReadOnlyList<DailyTotal> Daily,
    IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<string> Warnings,
    string Currency,
    double PerUsd)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(Plan plan) => JsonSerializer.Serialize(
        new PlanDocument(plan.Target.Name(), plan.Forecast.ModelVersion, plan.Forecast.GeneratedAt, plan.Costs, plan.Summaries, plan.Daily, plan.Recommendations, plan.Warnings, plan.Currency, plan.PerUsd),
        Json);

    /// <summary>The plan of <paramref name="run"/> from its stored document; null when the document belongs to another run or cannot be read.</summary>
    public static Plan? Deserialize(string? json, ForecastRun run)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        PlanDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PlanDocument>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }

        // Stores keep the generation time to the second (SQLite) or microsecond (PostgreSQL): compare seconds.
        if (document is null || document.ModelVersion != run.ModelVersion || document.GeneratedAt.ToUnixTimeSeconds() != run.GeneratedAt.ToUnixTimeSeconds()
            || !ForecastTargets.TryParse(document.Target, out var target))
        {
            return null;
        }

        return new Plan(run, target, document.Costs, document.Summaries, document.Daily, document.Recommendations, document.Warnings, document.Currency, document.PerUsd);
    }
}
