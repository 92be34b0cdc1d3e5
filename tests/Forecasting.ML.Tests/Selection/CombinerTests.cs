using Forecasting.Core.Backtesting;
using Forecasting.ML.Selection;
using Forecasting.ML.Validation;

namespace Forecasting.ML.Tests.Selection;

public sealed class CombinerTests
{
    [Fact]
    public void ModelsWithOppositeErrorsAreCombinedAndTheCombinationBeatsEach()
    {
        // "high" is 10 % above the actual, "low" 11 % below, "far" 15 % above: their weighted mean is closer than any of them.
        var points = Hours(a => [("high", a * 1.10), ("low", a * 0.89), ("far", a * 1.15)]);

        var combination = Combiner.Decide(points);

        Assert.NotNull(combination);
        Assert.Equal(["high", "low", "far"], combination.Models);
        Assert.Equal(1, combination.Weights.Sum(), 3);
        // Shrunk halfway to 1/3 each: the best model weighs most, the worst still has a sixth.
        Assert.True(combination.Weights[0] > combination.Weights[1] && combination.Weights[1] > combination.Weights[2]);
        Assert.InRange(combination.Weights[2], 1 / 6.0, 1 / 3.0);
        var combined = Combiner.Points(points, combination, "c").ToList();
        Assert.Equal(48, combined.Count);
        Assert.True(combined.Average(p => Math.Abs(p.Actual - p.Forecast)) < points.Where(p => p.Model == "high").Average(p => Math.Abs(p.Actual - p.Forecast)));
    }

    [Fact]
    public void ASingleModelBetterThanAnyMixIsNotCombined()
    {
        var points = Hours(a => [("exact", a), ("high", a * 1.2), ("higher", a * 1.4)]);

        Assert.Null(Combiner.Decide(points));
    }

    [Fact]
    public void TheNameHoldsTheWeightsTheBacktestUsed()
    {
        var combination = WeightedCombination.FromErrors(new Dictionary<string, double> { ["fasttree"] = 0.1, ["smedian"] = 0.2, ["ssa"] = 0.4, ["snaive"] = 0.5 });

        Assert.True(WeightedCombination.TryParse(combination.Name, out var parsed));
        Assert.Equal(combination.Models, parsed!.Models);
        Assert.Equal(combination.Weights, parsed.Weights);
        Assert.StartsWith("combination(fasttree 0.", combination.Name, StringComparison.Ordinal);
        Assert.DoesNotContain("snaive", combination.Name, StringComparison.Ordinal);
        Assert.False(WeightedCombination.TryParse("ensemble", out _));
    }

    [Fact]
    public void SelectionNamesEachSeriesBestModelOrItsCombinationAndLeavesSkippedSeriesOut()
    {
        // "mixed": two models err in opposite directions (their combination beats both); "exact": one model is right;
        // "total": a roll-up, left to the caller.
        var points = new BacktestPoints(24);
        Add(points, "mixed", a => [("high", a * 1.10), ("low", a * 0.89), ("far", a * 1.15)]);
        Add(points, "exact", a => [("high", a * 1.2), ("low", a), ("far", a * 1.4)]);
        Add(points, "total", a => [("high", a), ("low", a * 0.5), ("far", a * 2)]);

        var selection = Combiner.Select(points, s => s == "total", CancellationToken.None);

        Assert.Equal(["exact", "mixed"], selection.Names.Keys.Order());
        Assert.Equal("low", selection.Names["exact"]);
        var combination = Assert.Single(selection.Combinations).Value;
        Assert.Equal(combination.Name, selection.Names["mixed"]);
        Assert.Equal(["high", "low", "far"], combination.Models);
        // Its residuals are every fold's hours of that series, named as the selection names it.
        var residuals = Combiner.Points(points, selection).ToList();
        Assert.Equal(48, residuals.Count);
        Assert.All(residuals, p => Assert.Equal(("mixed", combination.Name), (p.Series, p.Model)));
    }

    /// <summary>Two origins of 24 hours of one series into <paramref name="points"/>, each model's forecast a function of the actual.</summary>
    private static void Add(BacktestPoints points, string name, Func<double, (string Model, double Forecast)[]> forecasts)
    {
        var values = Enumerable.Range(0, 100).Select(t => 100 + (50 * Math.Sin(t / 3.0))).ToArray();
        var series = new NamedSeries(name, values);
        foreach (var fold in new[] { 0, 1 })
        {
            var origin = 40 + (24 * fold);
            foreach (var model in forecasts(1).Select(f => f.Model))
            {
                var forecast = Enumerable.Range(1, 24).Select(step => forecasts(values[origin + step]).Single(f => f.Model == model).Forecast).ToArray();
                points.Add(series, fold, origin, model, 100, forecast);
            }
        }
    }

    /// <summary>48 hours of one series (two origins), each model's forecast a function of the actual.</summary>
    private static List<BacktestPoint> Hours(Func<double, (string Model, double Forecast)[]> forecasts)
    {
        var points = new List<BacktestPoint>();
        for (var t = 0; t < 48; t++)
        {
            var actual = 100 + (50 * Math.Sin(t / 3.0));
            foreach (var (model, forecast) in forecasts(actual))
            {
                points.Add(new BacktestPoint("s", t / 24, 500 + (24 * (t / 24)), 1 + (t % 24), null, actual, forecast, model, 100));
            }
        }

        return points;
    }
}
