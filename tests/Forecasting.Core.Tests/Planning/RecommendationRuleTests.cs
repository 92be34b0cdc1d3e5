using Forecasting.Core.Forecasting;
using Forecasting.Core.Planning;
using Forecasting.Core.Planning.Recommendations;
using Forecasting.Core.Series;

namespace Forecasting.Core.Tests.Planning;

/// <summary>Each recommendation kind is one rule, read from one context; the planner lists them in its rules' order.</summary>
public sealed class RecommendationRuleTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 10, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CapacityRuleProvisionsTheTotalsPeakButNothingForACostForecast()
    {
        Assert.Equal("*/*", Assert.Single(new CapacityRule().Recommend(Context(ForecastTarget.Tokens))).Subject);
        Assert.Empty(new CapacityRule().Recommend(Context(ForecastTarget.Cost)));
    }

    [Fact]
    public void ModelHealthRuleSaysAHealthyChampionIsHealthyOnlyWhenNothingElseIsWrong()
    {
        var healthy = Assert.Single(new ModelHealthRule().Recommend(Context(ForecastTarget.Tokens)));
        Assert.Equal(Severity.Info, healthy.Severity);

        var old = Context(ForecastTarget.Tokens, new ModelHealth("v0001", Origin.AddDays(-10), 0.8, 0.8));
        var warning = Assert.Single(new ModelHealthRule().Recommend(old));
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("trained 10 days ago", warning.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void MoneyIsInTheReportingCurrencyWithCentsBelowAHundred()
    {
        var money = new MoneyFormat("EUR", 0.5);

        Assert.Equal("1,500 EUR", money.Money(3000));
        Assert.Equal("49.50 EUR", money.Money(99));
        Assert.Equal("1.000 EUR", money.PerMillion(2e-6));
    }

    private static PlanContext Context(ForecastTarget target, ModelHealth? health = null)
    {
        var total = new SeriesForecast(SeriesKey.Total, "m", [.. Enumerable.Range(1, 168).Select(h => new ForecastPoint(Origin.AddHours(h), 1, h % 24 == 12 ? 10 : 2, h % 24 == 12 ? 20 : 3))]);
        var forecast = new ForecastRun(target, "v0001", Origin, Origin, Horizon.HoursPerWeek, [total]);
        var input = new PlanInput(forecast, [], [], [], health ?? new ModelHealth("v0001", Origin, 0.8, 0.8), Origin);
        return new PlanContext(input, new PlanningSettings(), [], [new KeyedForecast(SeriesKey.Total, total)], new Dictionary<SeriesKey, SeriesCost>());
    }
}
