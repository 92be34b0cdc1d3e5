namespace Forecasting.Core.Series;

/// <summary>What a series counts per hour.</summary>
public enum ForecastTarget
{
    /// <summary>Input plus output tokens.</summary>
    Tokens,
    Requests,
    /// <summary>US dollars: the reported cost, else priced from the price table.</summary>
    Cost,
}
