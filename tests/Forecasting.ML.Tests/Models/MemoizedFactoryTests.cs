using Forecasting.Core.Forecasting;
using Forecasting.ML.Models;

namespace Forecasting.ML.Tests.Models;

public sealed class MemoizedFactoryTests
{
    [Fact]
    public void SameHistoriesReuseTheFitAndNewHistoriesRefit()
    {
        var calls = 0;
        var inner = new LocalForecasterFactory("counted", _ =>
        {
            Interlocked.Increment(ref calls);
            return new SeasonalNaive(24);
        });
        var memoized = new MemoizedFactory(inner);
        List<SeriesHistory> first = [new(new double[] { 1, 2, 3 }), new(new double[] { 4, 5, 6 })];
        List<SeriesHistory> second = [new(new double[] { 7, 8, 9 })];

        var a = memoized.FitAll(first, CancellationToken.None);
        var b = memoized.FitAll(first, CancellationToken.None);
        var c = memoized.FitAll(second, CancellationToken.None);

        Assert.Same(a, b);
        Assert.Equal(3, calls);
        Assert.Equal([7.0, 8, 9], c.Single().Predict(3));
        Assert.Equal("counted", memoized.Name);
    }
}
