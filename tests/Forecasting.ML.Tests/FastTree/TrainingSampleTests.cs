using Forecasting.Core.Forecasting;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Tests.Support;

namespace Forecasting.ML.Tests.FastTree;

public sealed class TrainingSampleTests
{
    // 200 series of unlike size (level 1 .. 10^4) and length, as a relay's projects × models are.
    private static readonly TrainingSample.Candidate[] Relay = [.. Enumerable.Range(0, 200).Select(i =>
        new TrainingSample.Candidate(200, 600 + (i * 37 % 900), Math.Pow(10, (i * 7919 % 200) / 50.0)))];

    [Fact]
    public void UnderTheBudgetEveryCandidateRowIsTaken()
    {
        var candidates = Relay.Take(5).ToList();

        var picked = TrainingSample.Pick(candidates, 1_000_000, seed: 42);

        for (var i = 0; i < candidates.Count; i++)
        {
            Assert.Equal(Enumerable.Range(candidates[i].From, candidates[i].Count), picked[i]);
        }
    }

    [Fact]
    public void OverTheBudgetTheSampleFillsItWithEachSizeStratumEquallyAndEverySeriesSeen()
    {
        const int budget = 20_000;

        var picked = TrainingSample.Pick(Relay, budget, seed: 42);

        Assert.Equal(budget, picked.Sum(p => p.Length));
        Assert.All(picked, p => Assert.NotEmpty(p));
        for (var i = 0; i < Relay.Length; i++)
        {
            // Distinct hours, in order, inside the series' candidate range.
            Assert.True(picked[i].Zip(picked[i].Skip(1)).All(x => x.First < x.Second), $"series {i}: hours not strictly increasing");
            Assert.All(picked[i], t => Assert.InRange(t, Relay[i].From, Relay[i].To - 1));
        }

        // Four strata by size (50 series each), each with a quarter of the rows: the smallest series are not crowded out.
        var bySize = Enumerable.Range(0, Relay.Length).OrderBy(i => Relay[i].Size).ThenBy(i => i).ToList();
        for (var s = 0; s < TrainingSample.Strata; s++)
        {
            var rows = bySize.Skip(s * 50).Take(50).Sum(i => picked[i].Length);
            Assert.InRange(rows, (budget / 4) - 50, (budget / 4) + 50);
        }
    }

    [Fact]
    public void HoursAreSpreadOverTheHistoryNotOnlyTheNewest()
    {
        var candidate = new TrainingSample.Candidate(0, 10_000, 1);

        var hours = TrainingSample.Pick([candidate, candidate with { Size = 2 }], 2_000, seed: 1)[0];

        Assert.Equal(1_000, hours.Length);
        Assert.InRange(hours.Count(t => t < 5_000), 400, 600);
    }

    [Fact]
    public void FewerRowsThanSeriesGivesOneRowEachToASampleOfEveryStratum()
    {
        var picked = TrainingSample.Pick(Relay, 40, seed: 42);

        Assert.Equal(40, picked.Sum(p => p.Length));
        Assert.All(picked, p => Assert.InRange(p.Length, 0, 1));
        var bySize = Enumerable.Range(0, Relay.Length).OrderBy(i => Relay[i].Size).ThenBy(i => i).ToList();
        Assert.All(Enumerable.Range(0, TrainingSample.Strata), s => Assert.Equal(10, bySize.Skip(s * 50).Take(50).Sum(i => picked[i].Length)));
    }

    [Fact]
    public void TheSampleDependsOnlyOnItsInputsAndSeed()
    {
        var first = TrainingSample.Pick(Relay, 5_000, seed: 42);
        var again = TrainingSample.Pick(Relay, 5_000, seed: 42);
        var other = TrainingSample.Pick(Relay, 5_000, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first.SelectMany(p => p), other.SelectMany(p => p));
    }

    [Fact]
    public void TheGlobalModelTrainsOnAtMostItsRowBudgetAndTwoTrainingsForecastAlike()
    {
        var histories = SampleSeries.LeafSeries.Select(s => new SeriesHistory(s.Values, s.Start)).ToList();
        var options = new FastTreeOptions { NumberOfTrees = 40, MaxRows = 3_000 };

        var model = new GlobalFastTreeFactory(options).Train(histories, CancellationToken.None);
        var again = new GlobalFastTreeFactory(options).Train(histories, CancellationToken.None);

        Assert.Equal(3_000, model.TrainingRows);
        // Rows are built in parallel and forecasts made in parallel: the result must not depend on the threads.
        var forecasts = histories.AsParallel().AsOrdered().Select(h => model.Bind(h).Predict(48)).ToList();
        Assert.Equal(forecasts, histories.Select(h => again.Bind(h).Predict(48)).ToList());
    }
}
