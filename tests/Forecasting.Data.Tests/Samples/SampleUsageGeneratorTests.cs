using System.Globalization;
using Forecasting.Data.Samples;

namespace Forecasting.Data.Tests.Samples;

public sealed class SampleUsageGeneratorTests
{
    [Fact]
    public void TheDefaultsStillMakeTheCommittedSampleFile()
    {
        var file = Path.Combine(RepoRoot(), "data-samples", "usage.csv");
        var lines = File.ReadAllLines(file).Skip(1).ToList();
        var header = File.ReadLines(file).First().Split(',');
        int Column(string name) => Array.IndexOf(header, name);

        var rows = SampleUsageGenerator.Generate(new SampleUsageOptions()).ToList();

        Assert.Equal(lines.Count, rows.Count);
        foreach (var (line, row) in lines.Zip(rows).Where((_, i) => i % 97 == 0))
        {
            var fields = line.Split(',');
            Assert.Equal((fields[Column("project")], fields[Column("model")]), (row.Project, row.Model));
            Assert.Equal(DateTimeOffset.Parse(fields[Column("hour")], CultureInfo.InvariantCulture), row.Hour);
            Assert.Equal(long.Parse(fields[Column("input_tokens")], CultureInfo.InvariantCulture), row.InputTokens);
            Assert.Equal(long.Parse(fields[Column("output_tokens")], CultureInfo.InvariantCulture), row.OutputTokens);
        }
    }

    [Fact]
    public void TheBurstyRelayIsTheSampleWithBurstsShiftsAndPersistentNoise()
    {
        var calm = Totals(new SampleUsageOptions { Weeks = 9 });
        var bursty = Totals(new SampleUsageOptions { Weeks = 9, Bursty = true });

        // The same leaves and hours: only the amounts move.
        Assert.Equal(calm.Keys.Order(), bursty.Keys.Order());
        var ratios = calm.Keys.Select(k => Math.Log(bursty[k] / calm[k])).ToList();
        // Bursts and upward shifts: a good share of hours at 1.5 times the calm level or more; downward shifts too.
        Assert.InRange(ratios.Count(r => r > Math.Log(1.5)) / (double)ratios.Count, 0.10, 0.60);
        Assert.Contains(ratios, r => r < Math.Log(0.7));

        // Persistent: one hour's departure carries into the next (the calm sample's noise is independent from hour to hour).
        var leaf = calm.Keys.Where(k => k.Project == "tutor" && k.Model == "deepseek-v3.2").OrderBy(k => k.Hour).ToList();
        var departures = leaf.Select(k => Math.Log(bursty[k] / calm[k])).ToList();
        var mean = departures.Average();
        var lag1 = departures.Zip(departures.Skip(1)).Sum(p => (p.First - mean) * (p.Second - mean)) / departures.Sum(d => (d - mean) * (d - mean));
        Assert.True(lag1 > 0.5, $"lag-1 autocorrelation {lag1:0.00}");
    }

    private static Dictionary<(string Project, string Model, DateTimeOffset Hour), double> Totals(SampleUsageOptions options) =>
        SampleUsageGenerator.Generate(options).ToDictionary(r => (r.Project, r.Model, r.Hour), r => (double)(r.InputTokens + r.OutputTokens));

    private static string RepoRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !Directory.Exists(Path.Combine(folder.FullName, "data-samples")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("data-samples/ not found above the test's folder");
    }
}
