using Forecasting.Core.Forecasting;
using Forecasting.ML.Models.FastTree;
using Forecasting.ML.Tests.Support;

namespace Forecasting.ML.Tests.FastTree;

/// <summary>
/// The saved-model fixture (<c>Fixtures/fasttree-v1.zip</c> and its expected forecast): what it is
/// trained on and with. Written by the benchmarks tool when the model format is meant to change:
/// <c>dotnet run -c Release --project tests/Forecasting.Benchmarks -- fixtures</c>, then committed.
/// </summary>
internal static class FastTreeFixture
{
    public const string ModelFile = "fasttree-v1.zip";
    public const string ExpectedFile = "fasttree-v1.expected.txt";
    public const int Hours = 48;

    public static readonly FastTreeOptions Options = new() { NumberOfTrees = 40, Seed = 11 };

    /// <summary>The series whose forecast is recorded.</summary>
    public static SeriesHistory History()
    {
        var s = SampleSeries.LeafSeries[0];
        return new SeriesHistory(s.Values, s.Start);
    }

    /// <summary>Trains the fixture model on the sample leaves; its forecast of <see cref="History"/>.</summary>
    public static (GlobalFastTreeModel Model, double[] Forecast) Train()
    {
        var histories = SampleSeries.LeafSeries.Select(s => new SeriesHistory(s.Values, s.Start)).ToList();
        var model = new GlobalFastTreeFactory(Options).Train(histories, CancellationToken.None);
        return (model, model.Bind(History()).Predict(Hours));
    }

    /// <summary>Writes the model and its expected forecast into <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var (model, forecast) = Train();
        model.Save(Path.Combine(folder, ModelFile));
        File.WriteAllLines(Path.Combine(folder, ExpectedFile), forecast.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
