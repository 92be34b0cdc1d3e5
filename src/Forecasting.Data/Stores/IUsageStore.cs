using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>
/// The usage store: one contract, two engines (SQLite file, PostgreSQL). Rows are keyed by
/// hour × model × project; writing a key again replaces the row, never adds to it.
/// </summary>
public interface IUsageStore : IAsyncDisposable
{
    /// <summary>Human readable engine and location, without secrets.</summary>
    string Description { get; }

    /// <summary>Applies pending schema migrations; safe to call on every start and from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>The schema version after <see cref="MigrateAsync"/>.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces the rows in one transaction: either all are stored or none.
    /// Later rows with the same key win. Returns the number of distinct keys written.
    /// </summary>
    Task<int> UpsertAsync(IReadOnlyList<HourlyUsage> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="UpsertAsync"/>, consuming rows as they arrive so that reading a file and writing
    /// overlap. If the sequence throws, the transaction is rolled back and nothing is stored.
    /// </summary>
    Task<int> UpsertStreamAsync(IAsyncEnumerable<HourlyUsage> rows, CancellationToken cancellationToken);

    /// <summary>Rows ordered by hour, project, model; optionally within [from, to).</summary>
    IAsyncEnumerable<HourlyUsage> ReadAsync(UsageQuery query, CancellationToken cancellationToken);

    Task<UsageSummary> SummarizeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a forecast run in one transaction; older runs of the target beyond the most recent <see cref="ForecastRetention"/> are deleted.</summary>
    Task SaveForecastAsync(ForecastRun run, CancellationToken cancellationToken) => SaveForecastAsync(run, null, cancellationToken);

    /// <summary>
    /// Stores a forecast run with its plan (an opaque JSON document: costs, summaries, recommendations)
    /// in one transaction, so readers never see a run without the plan made from it.
    /// </summary>
    Task SaveForecastAsync(ForecastRun run, string? plan, CancellationToken cancellationToken);

    /// <summary>The plan stored with the most recent forecast run of a target, or null when there is no run or it has no plan.</summary>
    Task<string?> LatestPlanAsync(ForecastTarget target, CancellationToken cancellationToken);

    /// <summary>The most recent forecast run of a target, or null when there is none.</summary>
    Task<ForecastRun?> LatestForecastAsync(ForecastTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Which run <see cref="LatestForecastAsync"/> would read now (its stored id, model version and generation
    /// time), or null when there is none: one row, so a reader that keeps a run can check it cheaply.
    /// </summary>
    Task<ForecastRunStamp?> LatestForecastStampAsync(ForecastTarget target, CancellationToken cancellationToken);

    /// <summary>Forecast runs kept per target.</summary>
    public const int ForecastRetention = 48;
}

/// <summary>A stored forecast run's identity: its row id (new runs get larger ones), model version and generation time.</summary>
public sealed record ForecastRunStamp(long Id, string ModelVersion, DateTimeOffset GeneratedAt)
{
    /// <summary>Whether <paramref name="run"/> is plausibly the run stamped (same version and generation time).</summary>
    public bool Describes(ForecastRun run) => run is not null && run.ModelVersion == ModelVersion && run.GeneratedAt == GeneratedAt;
}
