using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Metrics;
using Forecasting.ML.Models;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Tests.Support;

namespace Forecasting.ML.Tests.FastTree;

public sealed class GlobalFastTreeTests
{
    private const int Week = 168;

    private static readonly FastTreeOptions Small = new() { NumberOfTrees = 80, Seed = 7 };

    [Fact]
    public void OnAnUnseenWeekTheGlobalModelBeatsSeasonalNaive()
    {
        var series = SampleSeries.LeafSeries;
        var histories = series.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Length - Week), s.Start)).ToList();

        // The product's configuration: what is served is what is tested.
        var fitted = new GlobalFastTreeFactory().FitAll(histories, CancellationToken.None);

        double tree = 0, naive = 0;
        var detail = new List<string>();
        for (var i = 0; i < series.Count; i++)
        {
            var actual = series[i].Values.AsSpan(series[i].Length - Week);
            var t = ForecastMetrics.Mae(actual, fitted[i].Predict(Week));
            var snaive = new SeasonalNaive(Week);
            snaive.Fit(histories[i].Values.Span);
            var n = ForecastMetrics.Mae(actual, snaive.Predict(Week));
            detail.Add($"{series[i].Key} {t / n:N2}");
            tree += t;
            naive += n;
        }

        Assert.True(tree < naive, $"FastTree MAE {tree / series.Count:N0} vs seasonal naive {naive / series.Count:N0}: {string.Join(", ", detail)}");
    }

    [Fact]
    public void ForecastsAreFiniteAndNeverNegative()
    {
        var series = SampleSeries.LeafSeries;
        var histories = series.Select(s => new SeriesHistory(s.Values, s.Start)).ToList();

        var fitted = new GlobalFastTreeFactory(Small).FitAll(histories, CancellationToken.None);

        Assert.All(fitted, f => Assert.All(f.Predict(Week), v => Assert.True(double.IsFinite(v) && v >= 0, $"{v}")));
    }

    [Fact]
    public void RefreshingServesTheEarlierTrainedModelOnTheNewerHistoryWithoutTraining()
    {
        // A backtest origin a day after the last refit: the model trained then forecasts from the day's newer data.
        var series = SampleSeries.LeafSeries;
        var earlierHistories = series.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Length - Week - 24), s.Start, s.Key.ToString())).ToList();
        var laterHistories = series.Select(s => new SeriesHistory(s.Values.AsMemory(0, s.Length - Week), s.Start, s.Key.ToString())).ToList();
        var factory = new GlobalFastTreeFactory(Small);
        var model = factory.Train(earlierHistories, CancellationToken.None);
        var earlier = earlierHistories.Select(h => (IForecaster?)model.Bind(h)).ToList();

        var refreshed = factory.Refresh(laterHistories, earlier, CancellationToken.None);

        for (var i = 0; i < series.Count; i++)
        {
            Assert.Equal(model.Bind(laterHistories[i]).Predict(Week), refreshed[i].Predict(Week));
        }

        // Without an earlier fit there is nothing to refresh: it trains, on the newer history.
        var trained = factory.Refresh(laterHistories, [.. laterHistories.Select(_ => (IForecaster?)null)], CancellationToken.None);
        Assert.Equal(factory.Train(laterHistories, CancellationToken.None).Bind(laterHistories[0]).Predict(Week), trained[0].Predict(Week));
        Assert.NotEqual(refreshed[0].Predict(Week), trained[0].Predict(Week));
    }

    [Fact]
    public void WalkingTheTreesDirectlyScoresExactlyAsMlNetsEngineForTrainedAndReloadedModels()
    {
        var series = SampleSeries.LeafSeries;
        var histories = series.Select(s => new SeriesHistory(s.Values, s.Start, s.Key.ToString())).ToList();
        var model = new GlobalFastTreeFactory(Small).Train(histories, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"fasttree-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var reloaded = GlobalFastTreeModel.Load(path, model.Options);
            Assert.True(model.EvaluatesTreesDirectly);
            Assert.True(reloaded.EvaluatesTreesDirectly);

            // Real feature rows of every series (as forecasting makes them), and rows off the data, far outside it.
            var random = new Random(3);
            var rows = new List<float[]>();
            foreach (var h in histories)
            {
                var calendar = model.Pipeline.CalendarOf(h.Series);
                for (var t = h.Values.Length - 200; t < h.Values.Length; t += 7)
                {
                    var features = new float[model.Pipeline.Count];
                    model.Pipeline.Update(h.Values.Span[..t], h.Start?.AddHours(t), features, calendar);
                    rows.Add(features);
                    rows.Add([.. features.Select(f => f * (float)(random.NextDouble() * 4))]);
                }
            }

            Assert.All(rows, features =>
            {
                var (direct, engine) = model.ScoreBothWays(features);
                Assert.Equal(engine, direct);
                Assert.Equal(engine, reloaded.ScoreBothWays(features).Direct);
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASavedModelReloadsAndPredictsIdentically()
    {
        var series = SampleSeries.LeafSeries;
        var histories = series.Select(s => new SeriesHistory(s.Values, s.Start)).ToList();
        var model = new GlobalFastTreeFactory(Small).Train(histories, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"fasttree-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = GlobalFastTreeModel.Load(path, Small);

            for (var i = 0; i < histories.Count; i++)
            {
                Assert.Equal(model.Bind(histories[i]).Predict(48), loaded.Bind(histories[i]).Predict(48));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheCommittedFixtureModelStillPredictsWhatItPredictedWhenSaved()
    {
        // Fixtures/fasttree-v1.zip and its expected forecast were written by FastTreeFixture.Write (the
        // benchmarks tool's `fixtures` command) with the library versions of their commit; an upgrade that
        // changes what a saved model predicts fails here.
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var model = GlobalFastTreeModel.Load(Path.Combine(folder, FastTreeFixture.ModelFile), FastTreeFixture.Options);
        var expected = ReadExpected(folder);

        var forecast = model.Bind(FastTreeFixture.History()).Predict(expected.Length);

        for (var h = 0; h < expected.Length; h++)
        {
            Assert.Equal(expected[h], forecast[h], expected[h] * 1e-5);
        }
    }

    [Fact]
    public void TrainingTheFixtureAgainPredictsWhatTheCommittedFixturePredicts()
    {
        // Training is deterministic (seeded): the same data and options give the committed model's forecast,
        // so the fixture can be rewritten on purpose and never drifts by accident.
        var expected = ReadExpected(Path.Combine(AppContext.BaseDirectory, "Fixtures"));

        var (_, forecast) = FastTreeFixture.Train();

        Assert.Equal(expected.Length, forecast.Length);
        for (var h = 0; h < expected.Length; h++)
        {
            Assert.Equal(expected[h], forecast[h], expected[h] * 1e-5);
        }
    }

    private static double[] ReadExpected(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, FastTreeFixture.ExpectedFile)).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void WithTooLittleHistoryEverySeriesFallsBackToTheSeasonalMedian()
    {
        var short_ = SampleSeries.LeafSeries.Select(s => new SeriesHistory(s.Values.AsMemory(0, 300), s.Start)).ToList();

        var fitted = new GlobalFastTreeFactory(Small).FitAll(short_, CancellationToken.None);
        var median = new SeasonalMedian();
        median.Fit(short_[0].Values.Span);

        Assert.Equal(median.Predict(24), fitted[0].Predict(24));
    }

    [Fact]
    public void TheFeatureSetVersionNamesEveryFeature()
    {
        var pipeline = new FeaturePipeline(new FeatureOptions());

        Assert.Contains("lag_168", pipeline.Version, StringComparison.Ordinal);
        Assert.Contains("hour_sin", pipeline.Version, StringComparison.Ordinal);
        Assert.Equal(pipeline.Count, pipeline.Names.Count);
    }
}
