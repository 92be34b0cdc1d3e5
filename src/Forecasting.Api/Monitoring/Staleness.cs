using Forecasting.Core.Forecasting;

namespace Forecasting.Api.Monitoring;

/// <summary>
/// Whether a forecast can be trusted at an instant and, when not, the first reason in order of cause: the data
/// stopped arriving (<c>data_old</c>), no forecast was made lately (<c>forecast_old</c>), the forecast ends
/// before the instant asked about (<c>beyond_horizon</c>).
/// </summary>
internal readonly record struct Staleness(string? Reason)
{
    public const string DataOld = "data_old";
    public const string ForecastOld = "forecast_old";
    public const string BeyondHorizon = "beyond_horizon";

    public static IReadOnlyList<string> Reasons { get; } = [DataOld, ForecastOld, BeyondHorizon];

    public static Staleness Fresh { get; } = new(null);

    public bool Stale => Reason is not null;

    /// <param name="dataLastHour">The newest stored usage hour; null when the store holds none.</param>
    /// <param name="forecastEnd">The end of the forecast's last hour.</param>
    /// <param name="at">The instant the answer is for (now + lead).</param>
    public static Staleness Evaluate(ApiOptions options, DateTimeOffset generatedAt, DateTimeOffset? dataLastHour, DateTimeOffset forecastEnd, DateTimeOffset now, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DataStaleAfterMinutes > 0 && (dataLastHour is not { } last || now - last > TimeSpan.FromMinutes(options.DataStaleAfterMinutes)))
        {
            return new Staleness(DataOld);
        }

        if (options.IsStale(generatedAt, now))
        {
            return new Staleness(ForecastOld);
        }

        return at >= forecastEnd ? new Staleness(BeyondHorizon) : Fresh;
    }

    /// <summary>Why a stale forecast is stale, in full, with the setting that decided it (<c>/health</c>).</summary>
    public string Explain(ApiOptions options, DateTimeOffset generatedAt, DateTimeOffset? dataLastHour, DateTimeOffset end, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Reason switch
        {
            DataOld => dataLastHour is { } last
                ? FormattableString.Invariant($"forecast stale (data_old): the newest usage hour, {last:yyyy-MM-ddTHH:mm}Z, started {(now - last).TotalHours:0.#} h ago (DataStaleAfterMinutes {options.DataStaleAfterMinutes}); {DataOldQuestion}")
                : "forecast stale (data_old): the store holds no usage",
            ForecastOld => FormattableString.Invariant($"forecast stale (forecast_old): generated {(now - generatedAt).TotalMinutes:0} min ago (StaleAfterMinutes {options.StaleAfterMinutes}); {ForecastOldQuestion}"),
            _ => FormattableString.Invariant($"forecast stale (beyond_horizon): its last hour ended at {end:yyyy-MM-ddTHH:mm}Z"),
        };
    }

    /// <summary>Why a forecast is stale (<see cref="DataOld"/> or <see cref="ForecastOld"/>), in short (the webhook notice).</summary>
    public string Notice(DateTimeOffset generatedAt, DateTimeOffset? dataLastHour) => Reason == DataOld
        ? $"the newest usage hour is {(dataLastHour is { } l ? $"{l:yyyy-MM-ddTHH:mm}Z" : "missing")}: {DataOldQuestion}"
        : $"the latest forecast was generated at {generatedAt:yyyy-MM-ddTHH:mm}Z: {ForecastOldQuestion}";

    private const string DataOldQuestion = "is collection or ingest running?";

    private const string ForecastOldQuestion = "is the refresh job running?";
}
