using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Models;

namespace Forecasting.ML.Validation;

/// <summary>
/// The folds of a backtest: at every origin (counted back from each series' end, the earliest first) each model is
/// fitted on the history up to it (global models on all series at once) and forecasts the next horizon hours.
/// Refreshable fits are refreshed, not refitted, until the options' refit cadence has passed.
/// </summary>
public static class RollingOrigins
{
    /// <summary>
    /// Every model's forecast from every origin, and the series × model pairs a model could not fit or forecast at
    /// some origin (first error each): those are left out of its points, never the whole backtest.
    /// </summary>
    public static (BacktestPoints Points, IReadOnlyList<SkippedSeries> Skipped) Forecast(
        IReadOnlyList<NamedSeries> series,
        IReadOnlyList<IForecasterFactory> models,
        BacktestOptions options,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        var skipped = new Dictionary<(string Series, string Model), string>();
        var totalFolds = options.Folds + options.WarmupFolds;
        var points = new BacktestPoints(options.Horizon);
        // Each model's refreshable fits of the last origin, by series; refit when RefitHours of origins have passed.
        var earlierFits = new Dictionary<string, Dictionary<string, IForecaster>>();
        int? lastRefit = null;
        var refitHours = options.RefitHoursFor(series.Count);
        for (var fold = 0; fold < totalFolds; fold++)
        {
            // Fold 0 is the earliest origin; origins are counted back from each series' end.
            var back = options.Horizon + ((totalFolds - 1 - fold) * options.Step);
            var active = series.Where(s => s.Values.Length - back >= options.MinimumHistory).ToList();
            if (active.Count == 0)
            {
                continue;
            }

            var histories = active.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Values.Length - back), s.Start, s.Name)).ToList();
            var refit = lastRefit is not { } last || (fold - last) * options.Step >= refitHours;
            if (refit)
            {
                lastRefit = fold;
            }

            foreach (var model in models)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"fold {fold + 1}/{totalFolds}{(refit ? "" : " (no refit)")}: {model.Name}");
                // A series this model cannot fit or forecast is left out of its points, not the whole backtest.
                void Skip(int i, Exception error) => skipped.TryAdd((active[i].Name, model.Name), $"{model.Name}: {error.Message}");
                var earlier = refit ? null : earlierFits.GetValueOrDefault(model.Name);
                var fitted = earlier is null
                    ? IsolatedFit.FitEach(model, histories, Skip, cancellationToken)
                    : IsolatedFit.RefreshEach(model, histories, [.. active.Select(s => earlier.GetValueOrDefault(s.Name))], Skip, cancellationToken);
                earlierFits[model.Name] = active.Select((s, i) => (s.Name, Fit: fitted[i])).Where(x => x.Fit is not null).ToDictionary(x => x.Name, x => x.Fit!);
                var (forecasts, errors) = IsolatedFit.PredictEach(fitted, _ => options.Horizon, cancellationToken);
                for (var i = 0; i < active.Count; i++)
                {
                    var s = active[i];
                    var origin = s.Values.Length - back - 1;
                    if (errors[i] is { } error)
                    {
                        Skip(i, error);
                    }

                    if (forecasts[i] is { } forecast)
                    {
                        points.Add(s, fold, origin, model.Name, Backtester.Scale(s.Values.AsSpan(0, origin + 1)), forecast);
                    }
                }
            }
        }

        return (points, [.. skipped.Select(e => new SkippedSeries(e.Key.Series, e.Value))]);
    }
}
