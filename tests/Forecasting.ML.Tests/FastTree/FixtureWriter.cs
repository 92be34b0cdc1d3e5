using Forecasting.Core.Forecasting;
using Forecasting.ML.FastTree;
using Forecasting.ML.Tests.Support;

namespace Forecasting.ML.Tests.FastTree;

/// <summary>
/// Writes the saved-model fixture. Run once by hand when the model format is meant to change:
/// <c>FORECASTING_WRITE_FIXTURES=1 dotnet test --filter WritesTheFixtureWhenAsked</c>, then commit.
/// </summary>
public sealed class FixtureWriter
{
    public static readonly FastTreeOptions Options = new() { NumberOfTrees = 40, Seed = 11 };

    public static SeriesHistory History()
    {
        var s = SampleSeries.LeafSeries[0];
        return new SeriesHistory(s.Values, s.Start);
    }

    [Fact]
    public void WritesTheFixtureWhenAsked()
    {
        if (Environment.GetEnvironmentVariable("FORECASTING_WRITE_FIXTURES") != "1")
        {
            return;
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Fixtures");
        Directory.CreateDirectory(folder);
        var histories = SampleSeries.LeafSeries.Select(s => new SeriesHistory(s.Values, s.Start)).ToList();
        var model = new GlobalFastTreeFactory(Options).Train(histories, CancellationToken.None);
        model.Save(Path.Combine(folder, "fasttree-v1.zip"));
        var forecast = model.Bind(History()).Predict(48);
        File.WriteAllLines(Path.Combine(folder, "fasttree-v1.expected.txt"), forecast.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(File.Exists(Path.Combine(folder, "fasttree-v1.zip")));
    }
}
