using System.Data.Common;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Stores;

/// <summary>
/// Maps the usage columns both engines select, in this order: project, model, hour, input_tokens,
/// output_tokens, requests, cached_input_tokens, cost_usd, latency_ms_p50, latency_ms_p95, errors.
/// Only the hour's storage differs (Unix seconds in SQLite, timestamptz in PostgreSQL).
/// </summary>
internal static class UsageRecord
{
    public const string Columns =
        "project, model, hour, input_tokens, output_tokens, requests, cached_input_tokens, cost_usd, latency_ms_p50, latency_ms_p95, errors";

    public static HourlyUsage Read(DbDataReader reader, DateTimeOffset hour) => new()
    {
        Project = reader.GetString(0),
        Model = reader.GetString(1),
        Hour = hour,
        InputTokens = reader.GetInt64(3),
        OutputTokens = reader.GetInt64(4),
        Requests = reader.GetInt64(5),
        CachedInputTokens = reader.IsDBNull(6) ? null : reader.GetInt64(6),
        CostUsd = reader.IsDBNull(7) ? null : reader.GetDouble(7),
        LatencyMsP50 = reader.IsDBNull(8) ? null : reader.GetDouble(8),
        LatencyMsP95 = reader.IsDBNull(9) ? null : reader.GetDouble(9),
        Errors = reader.IsDBNull(10) ? null : reader.GetInt64(10),
    };
}
