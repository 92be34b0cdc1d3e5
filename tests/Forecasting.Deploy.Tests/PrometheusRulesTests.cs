using Forecasting.Deploy.Tests.Support;

namespace Forecasting.Deploy.Tests;

/// <summary>deploy/prometheus/alerts.yml is valid, its unit tests pass, and they would catch a broken rule.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [SkippableFact]
    public void TheRulesPassPromtoolCheck()
    {
        var promtool = Tool.Require("promtool", "prometheus");

        var (exit, output) = Tool.Run(promtool, ["check", "rules", Repo.Deploy("prometheus", "alerts.yml")], Timeout);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void TheRulesPassTheirUnitTests()
    {
        var promtool = Tool.Require("promtool", "prometheus");

        var (exit, output) = Tool.Run(promtool, ["test", "rules", Repo.Deploy("prometheus", "alerts.test.yml")], Timeout);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void TheUnitTestsFailWhenARuleThresholdIsWrong()
    {
        var promtool = Tool.Require("promtool", "prometheus");
        var dir = Directory.CreateTempSubdirectory("forecasting-alerts-").FullName;
        try
        {
            var rules = File.ReadAllText(Repo.Deploy("prometheus", "alerts.yml"));
            Assert.Contains("> 4 * 3600", rules, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir, "alerts.yml"), rules.Replace("> 4 * 3600", "> 40 * 3600", StringComparison.Ordinal));
            File.Copy(Repo.Deploy("prometheus", "alerts.test.yml"), Path.Combine(dir, "alerts.test.yml"));

            var (exit, output) = Tool.Run(promtool, ["test", "rules", Path.Combine(dir, "alerts.test.yml")], Timeout);

            Assert.NotEqual(0, exit);
            Assert.Contains("ForecastingDataStale", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void EveryMetricTheRulesUseIsOneTheServiceExports()
    {
        var rules = File.ReadAllText(Repo.Deploy("prometheus", "alerts.yml"));
        var source = string.Concat(Directory.GetFiles(Path.Combine(Repo.Root, "src", "Forecasting.Api"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));

        var used = System.Text.RegularExpressions.Regex.Matches(rules, @"\bforecasting_[a-z0-9_]+").Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(used);
        // A name is either written whole, or per unit as $"forecasting_..._{unit}" (ForecastGauges.MetricUnit).
        Assert.All(used, name => Assert.True(
            source.Contains($"\"{name}\"", StringComparison.Ordinal)
                || new[] { "tokens", "requests", "cost_usd" }.Any(unit => name.EndsWith("_" + unit, StringComparison.Ordinal) && source.Contains($"$\"{name[..^unit.Length]}{{unit}}\"", StringComparison.Ordinal)),
            $"{name} is not a metric the service exports"));
    }
}
