using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core.Pricing;

namespace Forecasting.Core.Planning;

/// <summary>
/// What finance and SRE configure (<c>config/forecasting.json</c>): monthly budgets per project,
/// provider rate limits per model, the reporting currency, and the price table.
/// </summary>
public sealed record PlanningSettings
{
    /// <summary>Monthly budget per project, in USD.</summary>
    public Dictionary<string, double> BudgetsUsdPerMonth { get; init; } = [];

    /// <summary>Provider limit in requests per minute, per model.</summary>
    public Dictionary<string, double> RateLimitsRpm { get; init; } = [];

    /// <summary>Currency shown in reports; amounts are converted from USD at <see cref="PerUsd"/>.</summary>
    public string Currency { get; init; } = "USD";

    public double PerUsd { get; init; } = 1.0;

    /// <summary>Share of a project's traffic on its most expensive model that the cost recommendation prices moving.</summary>
    public double SwitchShare { get; init; } = 0.3;

    /// <summary>Prices per model; the built-in table when absent.</summary>
    public PriceFile? Prices { get; init; }

    /// <summary>A forecast older than this is reported stale in plans and reports (model health); the API has its own <c>Forecasting:StaleAfterMinutes</c>.</summary>
    public double StaleAfterHours { get; init; } = 2;

    public PriceTable PriceTable => Prices is null
        ? PriceTable.Default
        : new PriceTable(Prices.Version, Prices.Models.ToDictionary(m => m.Key, m => new ModelPrice(m.Value.Input, m.Value.CachedInput, m.Value.Output)));

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Reads a settings file; a bad file is a user error naming the file and what is wrong.</summary>
    public static PlanningSettings Load(string path)
    {
        try
        {
            var settings = JsonSerializer.Deserialize<PlanningSettings>(File.ReadAllText(path), Json)
                ?? throw new InvalidInputException($"{path}: the file is empty");
            settings.Validate(path);
            return settings;
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: {e.Message}");
        }
    }

    private void Validate(string path)
    {
        if (!(PerUsd > 0) || string.IsNullOrWhiteSpace(Currency))
        {
            throw new InvalidInputException($"{path}: currency needs a code and a positive per_usd rate");
        }

        if (BudgetsUsdPerMonth.FirstOrDefault(b => !(b.Value > 0)) is { Key: not null } badBudget)
        {
            throw new InvalidInputException($"{path}: budgets_usd_per_month.{badBudget.Key} must be positive");
        }

        if (RateLimitsRpm.FirstOrDefault(b => !(b.Value > 0)) is { Key: not null } badLimit)
        {
            throw new InvalidInputException($"{path}: rate_limits_rpm.{badLimit.Key} must be positive");
        }

        if (!(SwitchShare > 0 && SwitchShare <= 1))
        {
            throw new InvalidInputException($"{path}: switch_share must be in (0, 1]");
        }

        foreach (var (model, price) in Prices?.Models ?? [])
        {
            if (price.Input < 0 || price.CachedInput < 0 || price.Output < 0)
            {
                throw new InvalidInputException($"{path}: prices.models.{model} has a negative price");
            }
        }
    }
}
