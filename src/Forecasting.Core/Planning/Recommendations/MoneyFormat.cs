using System.Globalization;

namespace Forecasting.Core.Planning.Recommendations;

/// <summary>Amounts in USD written in the reporting currency, as recommendations and warnings show them.</summary>
internal sealed class MoneyFormat(string currency, double perUsd)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>An amount: whole units from 100 up, cents below.</summary>
    public string Money(double usd) =>
        Math.Abs(usd * perUsd) >= 100
            ? string.Create(C, $"{usd * perUsd:N0} {currency}")
            : string.Create(C, $"{usd * perUsd:N2} {currency}");

    /// <summary>A price per million tokens, from USD per token.</summary>
    public string PerMillion(double usdPerToken) => string.Create(C, $"{usdPerToken * 1e6 * perUsd:0.000} {currency}");
}
