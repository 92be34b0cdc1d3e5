using System.Globalization;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// The champion's health: no better than seasonal naive, miscalibrated intervals, an old model or a stale forecast; a healthy
/// champion is said to be, with its figures.
/// </summary>
internal sealed class ModelHealthRule : IRecommendationRule
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public IEnumerable<Recommendation> Recommend(PlanContext context)
    {
        var input = context.Input;
        var output = new List<Recommendation>();
        var h = input.Health;
        if (!(h.RelativeMae < 1))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Critical, h.Version,
                $"Champion {h.Version} is no better than seasonal naive (relative MAE {h.RelativeMae:0.000})", "retrain, or serve seasonal naive until a better model is promoted."));
        }
        else if (h.Coverage is < 0.7 or > 0.9)
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"Champion {h.Version}'s 80% intervals covered {h.Coverage:P0} in its backtest", "intervals are miscalibrated; retrain to recalibrate them."));
        }

        var age = input.Now - h.TrainedAt;
        var forecastAge = input.Now - input.Forecast.GeneratedAt;
        if (age > TimeSpan.FromDays(8))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"Champion {h.Version} was trained {age.TotalDays:N0} days ago", "the weekly retrain has not run; check the scheduler."));
        }

        if (forecastAge > TimeSpan.FromHours(context.Settings.StaleAfterHours))
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Warning, h.Version,
                $"The forecast is {forecastAge.TotalHours:N0} hours old", "the hourly collection and forecast refresh has not run."));
        }

        if (output.Count == 0)
        {
            output.Add(new Recommendation(RecommendationKind.ModelHealth, Severity.Info, h.Version,
                $"Champion {h.Version} is healthy: {1 - h.RelativeMae:P0} lower error than seasonal naive, intervals cover {h.Coverage:P0}",
                $"trained {h.TrainedAt.UtcDateTime.ToString("dd MMM HH:mm", C)} UTC on backtested data."));
        }

        return output;
    }
}
