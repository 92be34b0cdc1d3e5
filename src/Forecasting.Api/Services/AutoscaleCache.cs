using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Forecasting.Api.Monitoring;
using Forecasting.Core.Forecasting;

namespace Forecasting.Api.Services;

/// <summary>
/// The autoscale answers of each forecast run, made ready once per run so that a request is a lookup and a
/// write. Per run: the series by name with each one's points in order and the end of its forecast (what every
/// answer needs, computed once, not per request), and the serialised answers, plain and gzip, of every distinct
/// question asked of the run (series, hour asked about, current hour, lead, replica size, freshness state).
/// Autoscalers poll the same question many times an hour and the answer only changes with the run, the hour or
/// the freshness state, so the ~15 KB of JSON (about 3 KB gzip) is built once per answer, not once per request.
/// </summary>
internal sealed class AutoscaleCache
{
    /// <summary>Distinct answers kept per run (arbitrary query strings must not grow memory without bound).</summary>
    public const int MaxAnswersPerRun = 4096;

    private readonly ConditionalWeakTable<ForecastRun, RunAnswers> _byRun = [];

    /// <summary>The run's index, built on its first request.</summary>
    public RunAnswers For(ForecastRun run) => _byRun.GetValue(run, r => new RunAnswers(r));

    /// <summary>One run's series and answers.</summary>
    internal sealed class RunAnswers
    {
        private readonly Dictionary<string, SeriesEntry> _series;
        private readonly ConcurrentDictionary<AutoscaleAnswerKey, Answer> _answers = new();

        public RunAnswers(ForecastRun run)
        {
            Run = run;
            _series = new Dictionary<string, SeriesEntry>(StringComparer.Ordinal);
            foreach (var forecast in run.Series)
            {
                // The first of a name wins, as ForecastRun.Find does.
                if (forecast.Points.Count > 0 && !_series.ContainsKey(forecast.Series))
                {
                    _series[forecast.Series] = new SeriesEntry(forecast, [.. forecast.Points.OrderBy(p => p.Hour)], run.End);
                }
            }
        }

        public ForecastRun Run { get; }

        /// <summary>The series' forecast with its points ordered and its end; null when the run has no points for it.</summary>
        public SeriesEntry? Find(string series) => _series.GetValueOrDefault(series);

        /// <summary>The answer for the key, built by <paramref name="build"/> the first time it is asked.</summary>
        public Answer GetOrAdd(AutoscaleAnswerKey key, Func<byte[]> build)
        {
            if (_answers.TryGetValue(key, out var cached))
            {
                return cached;
            }

            if (_answers.Count >= MaxAnswersPerRun)
            {
                _answers.Clear();
            }

            return _answers.GetOrAdd(key, _ => new Answer(build()));
        }
    }

    /// <summary>A series of a run, ready for answering: points in hour order, the end of the last hour.</summary>
    internal sealed record SeriesEntry(SeriesForecast Forecast, ForecastPoint[] Ordered, DateTimeOffset End);

    /// <summary>An answer's JSON and, once asked for, its gzip encoding (compressed once).</summary>
    internal sealed class Answer(byte[] plain)
    {
        /// <summary>
        /// Smaller answers are sent as they are even to a client that accepts gzip (as web servers do, e.g. nginx's
        /// gzip_min_length): a few hundred bytes shrink by less than the header that says so costs to send and read.
        /// </summary>
        public const int MinGzipBytes = 1024;

        private byte[]? _gzip;

        public byte[] Plain => plain;

        /// <summary>Whether <see cref="Gzip"/> is worth sending.</summary>
        public bool Compressible => plain.Length >= MinGzipBytes;

        public byte[] Gzip => Volatile.Read(ref _gzip) ?? Interlocked.CompareExchange(ref _gzip, Compress(plain), null) ?? _gzip!;

        private static byte[] Compress(byte[] body)
        {
            using var compressed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal))
            {
                gzip.Write(body);
            }

            return compressed.ToArray();
        }
    }
}

/// <summary>Everything an autoscale answer depends on besides the run and the series' points; a value, so looking it up allocates nothing.</summary>
internal readonly record struct AutoscaleAnswerKey(string Series, DateTimeOffset Target, DateTimeOffset Next, int LeadMinutes, double PerReplica, string? StaleReason, DateTimeOffset? DataLastHour, bool Points);
