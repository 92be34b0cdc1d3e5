using Forecasting.Core.Usage;

namespace Forecasting.Data.Collect;

/// <summary>A remote source of hourly usage.</summary>
public interface IUsageSource
{
    string Name { get; }

    /// <summary>Usage for the hours in [from, to), aggregated per hour × model × project. Hours without data are absent.</summary>
    Task<IReadOnlyList<HourlyUsage>> FetchAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
