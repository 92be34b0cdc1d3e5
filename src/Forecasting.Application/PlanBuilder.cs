using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.ML.Registry;
using Forecasting.ML.Validation;

namespace Forecasting.Application;

/// <summary>
/// The plan of a forecast run: the planner's input assembled from the run, the usage, and the champion
/// version's manifest (health) and served backtest (recent anomalies; the band of whole-day totals).
/// </summary>
internal static class PlanBuilder
{
    /// <summary>Ratios of a day's actual total to its forecast are kept from this many backtest days per series, at least.</summary>
    private const int MinimumDays = 8;

    public static Plan Build(Workspace workspace, ForecastRun run, UsageData data)
    {
        var name = ModelRegistry.NameOf(data.Target);
        var manifest = workspace.Registry.Load(name, run.ModelVersion);
        var backtestFile = workspace.Registry.ArtifactPath(name, run.ModelVersion, ModelRegistry.BacktestFile);
        var backtest = File.Exists(backtestFile) ? BacktestCsv.Read(backtestFile) : [];
        var served = manifest.Backtest.Served;
        var health = new ModelHealth(manifest.Version, manifest.TrainedAt, served?.RelativeMae ?? double.NaN, served?.Coverage ?? double.NaN);
        var scales = data.Series.ToDictionary(s => s.Key.ToString(), s => Backtester.Scale(s.Values));
        var recent = backtest.Where(p => p.Hour > run.Origin.AddHours(-72))
            .Select(p => p with { Scale = scales.GetValueOrDefault(p.Series, 1) })
            .ToList();
        var input = new PlanInput(run, data.Series, data.Rows, recent, health, workspace.Time.GetUtcNow())
        {
            DailyBands = DailyBands(backtest, ForecastPoint.IntervalLevel),
        };
        var plan = new Planner(workspace.Settings).Build(input);
        // Series the forecast had to leave out are named where the plan is read (report, API), never dropped silently;
        // so is a calendar in the settings that differs from the one the champion was trained (and forecasts) with.
        string[] calendar = CalendarWarning(workspace, manifest) is { } warning ? [warning] : [];
        return run.Skipped.Count == 0 && calendar.Length == 0
            ? plan
            : plan with { Warnings = [.. plan.Warnings, .. calendar, .. run.Skipped.Select(s => $"{s.Series} is not forecast: {s.Reason}")] };
    }

    /// <summary>
    /// Null when the settings' calendar (holidays, time zones) is the one <paramref name="manifest"/>'s version was trained
    /// with; else what the forecast used instead and how to change it. A version always forecasts with its own calendar
    /// (its features must mean what they meant in training).
    /// </summary>
    public static string? CalendarWarning(Workspace workspace, ModelManifest manifest)
    {
        var trained = manifest.FastTreeOptions().Features;
        var configured = workspace.Settings.Features() with { Calendar = trained.Calendar };
        return trained.CalendarDescription() == configured.CalendarDescription()
            ? null
            : $"the calendar in the settings (holidays, time_zones) differs from the one {manifest.Version} was trained with; "
              + $"the forecast uses {manifest.Version}'s ({trained.CalendarDescription()}) until 'train' registers a version with the new one";
    }

    /// <summary>
    /// Per series, the (1 - level) / 2 and (1 + level) / 2 quantiles of actual / forecast over whole
    /// forecast days of the backtest (days whose 24 hours all have actuals): how far a day's total
    /// strays from its forecast, measured on data the model did not see.
    /// </summary>
    internal static Dictionary<string, (double Low, double High)> DailyBands(IReadOnlyList<BacktestPoint> backtest, double level)
    {
        var result = new Dictionary<string, (double Low, double High)>();
        foreach (var series in backtest.Where(p => p.Hour is not null).GroupBy(p => p.Series))
        {
            var ratios = series
                .GroupBy(p => (p.OriginHour, Day: DateOnly.FromDateTime(p.Hour!.Value.UtcDateTime)))
                .Where(d => d.Count() == 24 && d.All(p => !double.IsNaN(p.Actual)))
                .Select(d => (Actual: d.Sum(p => p.Actual), Forecast: d.Sum(p => p.Forecast)))
                .Where(d => d.Forecast > 0)
                .Select(d => d.Actual / d.Forecast)
                .Order()
                .ToArray();
            if (ratios.Length >= MinimumDays)
            {
                result[series.Key] = (Quantile(ratios, (1 - level) / 2), Quantile(ratios, (1 + level) / 2));
            }
        }

        return result;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
