using System.Text.Json;
using Forecasting.Api.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Forecasting.Api.Tests;

/// <summary>No NaN or Infinity reaches a client: contracts carry a value that is not finite as null, under the API's own JSON options.</summary>
public sealed class FiniteNumberTests
{
    private static readonly DateTimeOffset Hour = new(2026, 1, 5, 13, 0, 0, TimeSpan.Zero);

    private static JsonSerializerOptions ApiOptions()
    {
        var services = new ServiceCollection();
        services.AddForecastingApi(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        return services.BuildServiceProvider().GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    }

    [Fact]
    public void NonFiniteForecastValuesAreNull()
    {
        var options = ApiOptions();
        var hour = new ForecastHour(Hour, double.NaN, 5.5, double.PositiveInfinity, new CostRange(double.NegativeInfinity, 1.25, double.NaN));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(hour, options));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("p10").ValueKind);
        Assert.Equal(5.5, json.RootElement.GetProperty("p50").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("p90").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("cost_usd").GetProperty("p10").ValueKind);
        Assert.Equal(1.25, json.RootElement.GetProperty("cost_usd").GetProperty("p50").GetDouble());
    }

    [Fact]
    public void SummariesAndAutoscaleValuesAreNullWhenNotFinite()
    {
        var options = ApiOptions();
        var summary = new SeriesSummaryItem("*/*", "served", "tokens", double.NaN, 0, double.PositiveInfinity, null, null, Hour, 1, double.NaN, 2);
        var recommendation = new AutoscaleRecommendation(double.NaN, 0, 0, Hour, 2_000_000);

        var text = JsonSerializer.Serialize(summary, options) + JsonSerializer.Serialize(recommendation, options);

        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.Contains("\"change\":null", text, StringComparison.Ordinal);
        Assert.Contains("\"value\":null", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheApiRefusesToWriteANaNThatSlipsPastTheContracts()
    {
        // Strict number handling: a raw double NaN is an error, never the string "NaN" a client cannot parse as a number.
        Assert.ThrowsAny<ArgumentException>(() => JsonSerializer.Serialize(new { value = double.NaN }, ApiOptions()));
    }
}
