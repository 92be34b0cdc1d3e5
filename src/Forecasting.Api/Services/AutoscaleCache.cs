using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Forecasting.Core.Forecasting;

namespace Forecasting.Api.Services;

/// <summary>
/// Serialised autoscale answers of the current forecast run. Autoscalers poll the same question (series,
/// lead, replica size) many times an hour and the answer only changes with the run or the hour, so the
/// ~15 KB of JSON is built once per distinct answer instead of once per request.
/// </summary>
internal sealed class AutoscaleCache
{
    private const int MaxAnswersPerRun = 1024;
    private readonly ConditionalWeakTable<ForecastRun, ConcurrentDictionary<AutoscaleAnswerKey, byte[]>> _byRun = [];

    public byte[] GetOrAdd(ForecastRun run, AutoscaleAnswerKey key, Func<byte[]> build)
    {
        var answers = _byRun.GetValue(run, _ => new ConcurrentDictionary<AutoscaleAnswerKey, byte[]>());
        if (answers.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (answers.Count >= MaxAnswersPerRun)
        {
            // Arbitrary query strings must not grow memory without bound.
            answers.Clear();
        }

        return answers.GetOrAdd(key, _ => build());
    }
}

/// <summary>Everything an autoscale answer depends on besides the run; a value, so looking it up allocates nothing.</summary>
internal readonly record struct AutoscaleAnswerKey(string Series, DateTimeOffset Target, DateTimeOffset Next, int LeadMinutes, double PerReplica, string? StaleReason, DateTimeOffset? DataLastHour, bool Gzip);
