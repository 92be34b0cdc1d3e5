using Forecasting.Core.Pricing;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Core.Planning;

/// <summary>USD per unit of a target (token or request) of a set of usage rows: priced from the table, or as their source reported.</summary>
internal static class UnitPrices
{
    /// <summary>
    /// USD per unit of the target of the rows' traffic, priced from the table; null when a model has no price or the rows
    /// have no units. A cost forecast is 1 USD per USD.
    /// </summary>
    public static double? Blended(IEnumerable<HourlyUsage> rows, PriceTable prices, ForecastTarget target)
    {
        if (target == ForecastTarget.Cost)
        {
            return 1;
        }

        double cost = 0, units = 0;
        foreach (var row in rows)
        {
            if (prices.Cost(row) is not { } c)
            {
                return null;
            }

            cost += c;
            units += target == ForecastTarget.Requests ? row.Requests : row.TotalTokens;
        }

        return units > 0 ? cost / units : null;
    }

    /// <summary>USD per unit of the target that the source reported (cost_usd) for the rows; null without reported cost or units.</summary>
    public static double? Reported(IEnumerable<HourlyUsage> rows, ForecastTarget target)
    {
        double cost = 0, units = 0;
        foreach (var row in rows.Where(r => r.CostUsd is not null))
        {
            cost += row.CostUsd!.Value;
            units += target == ForecastTarget.Requests ? row.Requests : row.TotalTokens;
        }

        return units > 0 ? cost / units : null;
    }
}
