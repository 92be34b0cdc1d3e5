using System.Collections.Concurrent;
using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Models;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Validation;

public sealed class BacktesterTests
{
    private const int Week = 168;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ServedHasOnePointPerSeriesOriginAndStepOnScoredFoldsOnly()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 2 };

        var result = Run(ThreeSeries(), options);

        Assert.Equal(3 * options.Folds * options.Horizon, result.Served.Count);
        Assert.Equal(result.Served.Count, result.Served.Select(p => (p.Series, p.Origin, p.Step)).Distinct().Count());
        Assert.All(result.Served, p =>
        {
            Assert.True(p.Fold >= options.WarmupFolds, $"served on warm-up fold {p.Fold}");
            Assert.Equal(ModelScore.Served, p.Model);
            Assert.InRange(p.Step, 1, options.Horizon);
        });
        Assert.Equal(
            [options.WarmupFolds, options.WarmupFolds + 1, options.WarmupFolds + 2],
            result.Served.Select(p => p.Fold).Distinct().Order());

        // Every model forecast every fold, warm-up included.
        Assert.Equal(2 * 3 * (options.Folds + options.WarmupFolds) * options.Horizon, result.Points.Count);
    }

    [Fact]
    public void ServedModelIsTheBestOnForecastsWhoseActualsWereKnownAtTheOrigin()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 4, WarmupFolds = 3 };

        var result = Run(ThreeSeries(), options);

        foreach (var group in result.Served.GroupBy(p => (p.Series, p.Fold)))
        {
            var (series, fold) = group.Key;
            var earlier = result.Points.Where(p => p.Series == series && p.Fold < fold && p.Step <= (fold - p.Fold) * options.Step).ToList();
            if (Combiner.Decide(earlier) is { } combination)
            {
                // The combination of the best models beat each of them on those same forecasts: it serves.
                Assert.All(group, p => Assert.Equal(Combiner.Model, p.ServedBy));
                Assert.Equal(Combiner.Points(result.Points.Where(p => p.Series == series && p.Fold == fold), combination, "c").Select(p => p.Forecast), group.Select(p => p.Forecast));
                continue;
            }

            var expected = result.Points
                // An earlier fold's forecast counts only up to the current origin: later hours were still the future.
                .Where(p => p.Series == series && p.Fold < fold && !double.IsNaN(p.Actual) && p.Step <= (fold - p.Fold) * options.Step)
                .GroupBy(p => p.Model)
                .Select(g => (Model: g.Key, Error: g.Sum(p => Math.Abs(p.Actual - p.Forecast) / p.Scale) / g.Count()))
                .OrderBy(x => x.Error)
                .First().Model;
            Assert.All(group, p => Assert.Equal(expected, p.ServedBy));
            foreach (var p in group)
            {
                var source = result.Points.Single(q => q.Model == expected && q.Series == series && q.Origin == p.Origin && q.Step == p.Step);
                Assert.Equal(source.Forecast, p.Forecast);
                Assert.Equal(source.Actual, p.Actual);
            }
        }

        // The series are built so that each model is best somewhere, and their mix where it beat both: the choice is not a constant.
        Assert.Equal(["combination", "smedian", "snaive"], result.Served.Select(p => p.ServedBy).Distinct().Order());
    }

    [Fact]
    public void RelativeMaeOfSeasonalNaiveIsOne()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 2 };

        var result = Run(ThreeSeries(), options);

        Assert.Equal(1.0, result.Scores.Single(s => s.Model == "snaive").RelativeMae, 12);
        Assert.All(result.ScoresBySeries.Values, scores => Assert.Equal(1.0, scores.Single(s => s.Model == "snaive").RelativeMae, 12));

        // The other scores are relative to it: smedian's own MAE over snaive's on the same scored points.
        var scored = result.Points.Where(p => p.Fold >= options.WarmupFolds).ToList();
        var expected = scored.Where(p => p.Model == "smedian").Sum(p => Math.Abs(p.Actual - p.Forecast))
            / scored.Where(p => p.Model == "snaive").Sum(p => Math.Abs(p.Actual - p.Forecast));
        Assert.Equal(expected, result.Scores.Single(s => s.Model == "smedian").RelativeMae, 9);
    }

    [Fact]
    public void EightyPercentIntervalsCoverAboutEightyPercentOfAStationarySeries()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 6, WarmupFolds = 6 };
        var series = Enumerable.Range(0, 3)
            .Select(i => new NamedSeries($"steady{i}", SyntheticSeries.Traffic(6 * Week, noise: 8, seed: 40 + i), Start))
            .ToList();

        var result = Run(series, options);

        Assert.All(result.Served, p => Assert.True(p.P10 <= p.Forecast && p.Forecast <= p.P90, $"{p.P10} {p.Forecast} {p.P90}"));
        var coverage = result.Served.Count(p => p.Actual >= p.P10 && p.Actual <= p.P90) / (double)result.Served.Count;
        Assert.InRange(coverage, 0.65, 0.95);
    }

    [Fact]
    public void OriginsNeverSeeFutureValues()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 3 };
        var series = ThreeSeries();
        var spy = new SpyFactory();

        var result = Backtester.Run(series, [spy], options, null, CancellationToken.None);

        // The spy forecasts the length of the history it saw; each history is a prefix of its series.
        Assert.Equal(3 * 6 * options.Horizon, result.Points.Count);
        Assert.All(result.Points, p => Assert.Equal(p.Origin + 1, p.Forecast));
        Assert.Equal(3 * 6, spy.Seen.Count);
        Assert.All(spy.Seen, history =>
        {
            Assert.Equal(Start, history.Start);
            Assert.Contains(series, s => s.Values.AsSpan(0, history.Values.Length).SequenceEqual(history.Values.Span));
        });
        Assert.All(result.Points, p => Assert.Equal(Start.AddHours(p.Origin + p.Step), p.Hour));
    }

    [Theory]
    [InlineData(168, new[] { 0, 7 })]
    [InlineData(72, new[] { 0, 3, 6, 9 })]
    [InlineData(0, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void RefreshableModelsAreEstimatedOnlyEveryRefitHoursAndNeverOnLaterData(int refitHours, int[] estimatedAt)
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 4, WarmupFolds = 7, RefitHours = refitHours };
        var series = ThreeSeries();
        var estimating = new EstimatingFactory();

        var result = Backtester.Run(series, [estimating], options, null, CancellationToken.None);

        // One estimation (FitAll) per refit origin; in between every series is refreshed from the last one.
        var origins = result.Points.Select(p => p.Fold).Distinct().Order().ToList();
        Assert.Equal(options.Folds + options.WarmupFolds, origins.Count);
        Assert.Equal(estimatedAt, estimating.EstimatedAtLength.Select(length => origins.IndexOf(result.Points.First(p => p.Origin + 1 == length).Fold)));
        // Each forecast comes from an estimate made at or before its own origin, less than RefitHours of origins before it.
        Assert.All(result.Points, p =>
        {
            var (estimated, seen) = EstimatingForecaster.Decode(p.Forecast);
            Assert.Equal(p.Origin + 1, seen);
            Assert.True(estimated <= seen, $"estimated on {estimated} hours, forecasting after {seen}");
            Assert.True(seen - estimated < Math.Max(refitHours, 1), $"estimate {seen - estimated} h old");
        });
    }

    [Fact]
    public void SeriesTooShortForAnOriginSitOutThatFold()
    {
        var options = new BacktestOptions { Horizon = 48, Folds = 2, WarmupFolds = 2 };
        var longSeries = new NamedSeries("long", SyntheticSeries.Traffic(5 * Week, noise: 5, seed: 50), Start);

        // Exactly long enough for the last fold only: minimum history plus the horizon.
        var shortLength = options.MinimumHistory + options.Horizon;
        var shortSeries = new NamedSeries("short", SyntheticSeries.Traffic(shortLength, noise: 5, seed: 51), Start);

        var result = Run([longSeries, shortSeries], options);

        Assert.Equal([3], result.Points.Where(p => p.Series == "short").Select(p => p.Fold).Distinct());
        Assert.Equal([0, 1, 2, 3], result.Points.Where(p => p.Series == "long").Select(p => p.Fold).Distinct().Order());
    }

    [Fact]
    public void ASeriesAModelCannotFitIsNamedAndTheOthersAreStillServed()
    {
        // The third series has one hour in four observed: long enough to be active, too thin for a model that needs half.
        var series = ThreeSeries();
        series[2] = series[2] with { Values = [.. series[2].Values.Select((v, t) => t % 4 == 0 ? v : double.NaN)] };
        var picky = new LocalForecasterFactory("picky", _ => new NeedsObservedHours(0.5));
        var options = new BacktestOptions { Horizon = 24, Folds = 2, WarmupFolds = 2 };

        var result = Backtester.Run(series, [LocalForecasterFactory.SeasonalNaive(), picky], options, null, CancellationToken.None);

        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(series[2].Name, skipped.Series);
        Assert.StartsWith("picky: needs 50 % of its hours observed", skipped.Reason, StringComparison.Ordinal);
        // Every series is still served on every scored origin; the thin one by the model that could fit it.
        Assert.All(series, s => Assert.Equal(options.Folds * options.Horizon, result.Served.Count(p => p.Series == s.Name)));
        Assert.All(result.Served.Where(p => p.Series == series[2].Name), p => Assert.Equal("snaive", p.ServedBy));
        Assert.Contains(result.Points, p => p.Series == series[0].Name && p.Model == "picky");
        Assert.DoesNotContain(result.Points, p => p.Series == series[2].Name && p.Model == "picky");
    }

    [Fact]
    public void ShortHistoriesGetADailyPeriodAndFewerOrigins()
    {
        var defaults = new BacktestOptions();

        var twoWeeks = defaults.ForHistory(336);
        var shortHorizon = new BacktestOptions { Horizon = 48, Folds = 3 }.ForHistory(336);

        Assert.Equal(24, twoWeeks.Period);
        Assert.Equal(48, twoWeeks.MinimumHistory);
        Assert.True(twoWeeks.NeededHistory <= 336, $"{twoWeeks}");
        Assert.Equal(4, twoWeeks.Folds);
        Assert.True(twoWeeks.WarmupFolds is >= 1 and < 9, $"{twoWeeks.WarmupFolds}");
        Assert.Equal((3, 4, 24), (shortHorizon.Folds, shortHorizon.WarmupFolds, shortHorizon.Period));
        // Enough history: unchanged.
        Assert.Equal(defaults, defaults.ForHistory(16 * Week));
    }

    [Fact]
    public void TheServedScoresAreThoseOfItsPointsPooledAndPerSeriesRollUpIncluded()
    {
        // Three leaves with gaps in the scored hours and their total, served bottom-up.
        var leaves = ThreeSeries().Select(s =>
        {
            var values = s.Values.ToArray();
            for (var t = values.Length - 100; t < values.Length; t += 7)
            {
                values[t] = double.NaN;
            }

            return s with { Values = values };
        }).ToList();
        var total = new NamedSeries("total", [.. Enumerable.Range(0, leaves[0].Values.Length).Select(t => leaves.Sum(s => double.IsNaN(s.Values[t]) ? 0 : s.Values[t]))], Start);
        var options = new BacktestOptions { Horizon = 48, Folds = 3, WarmupFolds = 2 };
        var result = Backtester.Run(
            [.. leaves, total],
            [LocalForecasterFactory.SeasonalNaive(), LocalForecasterFactory.SeasonalMedian()],
            options,
            null,
            CancellationToken.None,
            new Dictionary<string, IReadOnlyList<string>> { ["total"] = [.. leaves.Select(s => s.Name)] });

        Assert.Contains(result.Served, p => p.ServedBy == "bottom-up");
        Expect(result.Served, result.Scores.Single(s => s.Model == ModelScore.Served));
        foreach (var name in leaves.Select(s => s.Name).Append("total"))
        {
            Expect([.. result.Served.Where(p => p.Series == name)], result.ScoresBySeries[name].Single(s => s.Model == ModelScore.Served));
        }

        void Expect(IReadOnlyList<BacktestPoint> served, ModelScore score)
        {
            // Worked out from the points, as a reader of the backtest CSV would.
            var observed = served.Where(p => !double.IsNaN(p.Actual)).ToList();
            double[] actual = [.. observed.Select(p => p.Actual)], forecast = [.. observed.Select(p => p.Forecast)];
            double[] p10 = [.. observed.Select(p => p.P10)], p90 = [.. observed.Select(p => p.P90)];
            var baseline = result.Points.Where(p => p.Model == "snaive").ToDictionary(p => (p.Series, p.Origin, p.Step), p => p.Forecast);
            var relative = observed.Sum(p => Math.Abs(p.Actual - p.Forecast)) / observed.Sum(p => Math.Abs(p.Actual - baseline[(p.Series, p.Origin, p.Step)]));
            var peaks = observed.GroupBy(p => (p.Series, p.Origin)).SelectMany(g =>
            {
                var hours = g.ToList();
                var isPeak = Core.Metrics.ForecastMetrics.PeakHours([.. hours.Select(p => p.Forecast)]);
                return hours.Where((_, i) => isPeak[i]);
            }).ToList();
            Assert.Equal(observed.Count, score.Points);
            Assert.Equal(Core.Metrics.ForecastMetrics.Mae(actual, forecast), score.Mae, 9);
            Assert.Equal(Core.Metrics.ForecastMetrics.Smape(actual, forecast), score.Smape, 9);
            Assert.Equal(relative, score.RelativeMae, 9);
            Assert.Equal(Core.Metrics.ForecastMetrics.Coverage(actual, p10, p90), score.Coverage, 12);
            Assert.Equal(Core.Metrics.ForecastMetrics.Pinball(actual, p10, 0.1), score.PinballP10, 9);
            Assert.Equal(Core.Metrics.ForecastMetrics.Pinball(actual, p90, 0.9), score.PinballP90, 9);
            Assert.Equal(peaks.Count(p => p.Actual >= p.P10 && p.Actual <= p.P90) / (double)peaks.Count, score.PeakCoverage, 12);
            Assert.Equal(peaks.Count(p => p.Actual > p.P90) / (double)peaks.Count, score.PeakAboveP90, 12);
            var values = leaves.Append(total).ToDictionary(s => s.Name, s => s.Values);
            double Largest(BacktestPoint p) => values[p.Series].Take(p.Origin + 1).Where(v => !double.IsNaN(v)).Max();
            Assert.Equal(observed.Count(p => p.P90 > ModelScore.RunawayMultiple * Largest(p)) / (double)observed.Count, score.P90AboveHistoryMax, 12);
        }
    }

    [Fact]
    public void AServedP90AboveThreeTimesTheLargestHourBeforeTheOriginIsCounted()
    {
        // Up to the origin (hour 5) the largest hour is 100 (the 1,000 after it is not yet known): a p90 above 300 counts.
        var series = new NamedSeries("a/b", [50, 100, 80, 60, 90, 70, 1000, 80, 90, 85], Start);
        var points = new BacktestPoints(3);
        points.Add(series, 0, 5, "snaive", 1, [70, 70, 70]);
        var served = new ServedPoints(3);
        served.Add(new ServedBlock(series, 0, 5, 1, "snaive", [70, 70, 70], [10, 10, 10], [290, 301, 2000]));

        var (scores, bySeries) = Scoring.Score(points, served, ["snaive"], new BacktestOptions { Horizon = 3, Folds = 1, WarmupFolds = 0 }, CancellationToken.None);

        Assert.Equal(2.0 / 3, scores.Single(s => s.Model == ModelScore.Served).P90AboveHistoryMax, 12);
        Assert.Equal(2.0 / 3, bySeries["a/b"].Single(s => s.Model == ModelScore.Served).P90AboveHistoryMax, 12);
        Assert.True(double.IsNaN(scores.Single(s => s.Model == "snaive").P90AboveHistoryMax), "a model without an interval has no p90 to count");
    }

    private static BacktestResult Run(IReadOnlyList<NamedSeries> series, BacktestOptions options) =>
        Backtester.Run(
            series,
            [LocalForecasterFactory.SeasonalNaive(), LocalForecasterFactory.SeasonalMedian()],
            options,
            null,
            CancellationToken.None);

    /// <summary>A steady series, one whose weekly shape drifts (seasonal naive wins), one with bursts (the median wins).</summary>
    private static List<NamedSeries> ThreeSeries()
    {
        const int Length = 6 * Week;
        var steady = SyntheticSeries.Traffic(Length, noise: 5, seed: 1);

        var random = new Random(2);
        var shape = Enumerable.Range(0, Week).Select(t => SyntheticSeries.Seasonal(t, 300)).ToArray();
        var drifting = new double[Length];
        for (var t = 0; t < Length; t++)
        {
            if (t > 0 && t % Week == 0)
            {
                for (var s = 0; s < Week; s++)
                {
                    shape[s] += 25 * SyntheticSeries.Gaussian(random);
                }
            }

            drifting[t] = shape[t % Week] + SyntheticSeries.Gaussian(random);
        }

        var bursty = SyntheticSeries.Traffic(Length, noise: 3, seed: 3);
        var bursts = new Random(4);
        for (var t = 0; t < Length; t++)
        {
            if (bursts.NextDouble() < 0.05)
            {
                bursty[t] *= 4;
            }
        }

        return [new("steady", steady, Start), new("drifting", drifting, Start), new("bursty", bursty, Start)];
    }

    private sealed class SpyFactory : IForecasterFactory
    {
        public ConcurrentQueue<SeriesHistory> Seen { get; } = new();

        public string Name => "spy";

        public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
        {
            foreach (var history in histories)
            {
                Seen.Enqueue(history);
            }

            return [.. histories.Select(h => (IForecaster)new LengthForecaster(h.Values.Length))];
        }
    }

    /// <summary>A model whose estimation is counted; its refreshed forecasts say on how many hours it was estimated and how many it saw.</summary>
    private sealed class EstimatingFactory : IForecasterFactory
    {
        public List<int> EstimatedAtLength { get; } = [];

        public string Name => "estimating";

        public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
        {
            EstimatedAtLength.Add(histories[0].Values.Length);
            return [.. histories.Select(h => (IForecaster)new EstimatingForecaster(h.Values.Length, h.Values.Length))];
        }

        public IReadOnlyList<IForecaster> Refresh(IReadOnlyList<SeriesHistory> histories, IReadOnlyList<IForecaster?> earlier, CancellationToken cancellationToken) =>
            [.. histories.Select((h, i) => ((IRefreshable)earlier[i]!).Refresh(h)!)];
    }

    private sealed class EstimatingForecaster(int estimated, int seen) : IForecaster, IRefreshable
    {
        public string Name => "estimating";

        public static (int Estimated, int Seen) Decode(double forecast) => ((int)(forecast / 100_000), (int)(forecast % 100_000));

        public void Fit(ReadOnlySpan<double> history)
        {
        }

        public double[] Predict(int horizon) => Enumerable.Repeat((estimated * 100_000.0) + seen, horizon).ToArray();

        public IForecaster Refresh(SeriesHistory history) => new EstimatingForecaster(estimated, history.Values.Length);
    }

    private sealed class LengthForecaster(int length) : IForecaster
    {
        public string Name => "spy";

        public void Fit(ReadOnlySpan<double> history)
        {
        }

        public double[] Predict(int horizon) => Enumerable.Repeat((double)length, horizon).ToArray();
    }

    /// <summary>A real model's precondition (as SSA's): it refuses histories with too few observed hours.</summary>
    private sealed class NeedsObservedHours(double share) : IForecaster
    {
        private readonly SeasonalNaive _inner = new(24);

        public string Name => "picky";

        public void Fit(ReadOnlySpan<double> history)
        {
            var observed = 0;
            foreach (var v in history)
            {
                observed += double.IsNaN(v) ? 0 : 1;
            }

            if (observed < share * history.Length)
            {
                throw new ArgumentException($"needs {share * 100:0} % of its hours observed, got {observed} of {history.Length}", nameof(history));
            }

            _inner.Fit(history);
        }

        public double[] Predict(int horizon) => _inner.Predict(horizon);
    }
}
