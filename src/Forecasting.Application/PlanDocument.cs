using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Series;

namespace Forecasting.Application;

/// <summary>
/// A plan as stored beside its forecast run (the run's points are stored once, in the run). Carries
/// the run's identity so a reader never pairs a plan with another run, and the series the run left out
/// (<see cref="ForecastRun.Skipped"/>: the store keeps the run's points only), so readers can list them.
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
    double PerUsd,
    IReadOnlyList<SkippedSeries>? Skipped = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(Plan plan) => JsonSerializer.Serialize(
        new PlanDocument(plan.Forecast.Target.Name(), plan.Forecast.ModelVersion, plan.Forecast.GeneratedAt, plan.Costs, plan.Summaries, plan.Daily, plan.Recommendations, plan.Warnings, plan.Currency, plan.PerUsd, plan.Forecast.Skipped),
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
            || !ForecastTargets.TryParse(document.Target, out var target) || target != run.Target)
        {
            return null;
        }

        // A plan stored before the skipped series were kept with it has none: the run's own (empty) list stays.
        var forecast = run.Skipped.Count == 0 && document.Skipped is { Count: > 0 } skipped ? run with { Skipped = skipped } : run;
        return new Plan(forecast, document.Costs, document.Summaries, document.Daily, document.Recommendations, document.Warnings, document.Currency, document.PerUsd);
    }
}
