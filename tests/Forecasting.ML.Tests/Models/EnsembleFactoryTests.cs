using Forecasting.Core.Forecasting;
using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class EnsembleFactoryTests
{
    [Fact]
    public void EnsembleForecastIsTheMeanOfItsMembers()
    {
        var histories = Enumerable.Range(0, 3)
            .Select(i => new SeriesHistory(SyntheticSeries.Traffic(5 * 168, noise: 10, seed: 60 + i)))
            .ToList();
        var naive = LocalForecasterFactory.SeasonalNaive();
        var median = LocalForecasterFactory.SeasonalMedian();
        var ensemble = new EnsembleFactory([naive, median]);

        var fitted = ensemble.FitAll(histories, CancellationToken.None);

        Assert.Equal(3, fitted.Count);
        for (var i = 0; i < histories.Count; i++)
        {
            var a = new SeasonalNaive();
            a.Fit(histories[i].Values.Span);
            var b = new SeasonalMedian();
            b.Fit(histories[i].Values.Span);
            var expectedA = a.Predict(48);
            var expectedB = b.Predict(48);
            var forecast = fitted[i].Predict(48);
            Assert.Equal("ensemble", fitted[i].Name);
            for (var h = 0; h < 48; h++)
            {
                Assert.Equal((expectedA[h] + expectedB[h]) / 2, forecast[h], 9);
            }
        }
    }

    [Fact]
    public void FactoriesAreNamedForTheirModels()
    {
        Assert.Equal("snaive", LocalForecasterFactory.SeasonalNaive().Name);
        Assert.Equal("snaive24", LocalForecasterFactory.SeasonalNaive(24).Name);
        Assert.Equal("smedian", LocalForecasterFactory.SeasonalMedian().Name);
        Assert.Equal("mix", new EnsembleFactory([], "mix").Name);
    }
}
