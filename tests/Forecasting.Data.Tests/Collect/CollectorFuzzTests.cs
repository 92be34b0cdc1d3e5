using System.Globalization;
using System.Text.Json;
using Forecasting.Core;
using Forecasting.Core.Usage;
using Forecasting.Data.Collect;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;
using Forecasting.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forecasting.Data.Tests.Collect;

/// <summary>
/// Property: whatever pages the OpenAI usage API answers (seeded: buckets split over pages, repeated on
/// later pages, shuffled, outside the window; or one fault: a conflicting repeat, a bucket off the hour,
/// a count beyond the bound or beyond 64 bits, a bucket past year 9999, a bad name, a cursor cycle,
/// endless pages, a redirect to another host, garbage), the store ends holding exactly the distinct
/// valid buckets of the window, or nothing with a clear error. Never a crash, never a double count.
/// </summary>
public sealed class CollectorFuzzTests : IAsyncLifetime
{
    private const int Hours = 24;
    private const int MaxPages = 6;

    private static readonly string[] Faults =
        ["conflict", "off-hour", "huge-count", "beyond-64-bits", "past-9999", "bad-name", "cycle", "endless", "redirect", "garbage"];

    private readonly TempFolder _folder = new();
    private FakeUsageServer _server = null!;
    private FakeUsageServer _other = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeUsageServer.StartAsync([]);
        _other = await FakeUsageServer.StartAsync(Rows.Grid(Hours, ["gpt-4.1"], ["stolen"]));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _other.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryRandomSourceIsStoredExactlyOnceOrNotAtAll(int seed)
    {
        var random = new Random(seed);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            var fault = random.Next(2) == 0 ? null : Faults[random.Next(Faults.Length)];
            var (truth, pages) = Script(random, fault);
            await using var store = await UsageStore.OpenAndMigrateAsync(_folder.File($"case-{seed}-{i}.db"), CancellationToken.None);
            _server.Answer = context => AnswerAsync(context, pages);
            using var http = random.Next(2) == 0 ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : SourceHttpClient.CreateHttpClient();
            var options = new CollectorOptions
            {
                MaxRetries = 1,
                BaseDelay = TimeSpan.FromMilliseconds(5),
                AttemptTimeout = TimeSpan.FromSeconds(5),
                PageLimit = 24,
                MaxPages = MaxPages,
            };
            var client = new SourceHttpClient(http, FakeUsageServer.Key, options, NullLogger.Instance);
            var source = UsageCollector.CreateSource("openai", _server.BaseUrl, client, options);
            Exception? error = null;
            try
            {
                await new UsageCollector(store, NullLogger.Instance).CollectAsync(source, client, Rows.T0, Rows.T0.AddHours(Hours), CancellationToken.None);
            }
            catch (Exception e) when (e is SourceException or InvalidInputException)
            {
                error = e;
            }

            var stored = new List<HourlyUsage>();
            await foreach (var row in store.ReadAsync(UsageQuery.All, CancellationToken.None))
            {
                stored.Add(row);
            }

            var label = $"seed {seed} case {i} ({fault ?? "clean"})";
            if (fault is null)
            {
                Assert.True(error is null, $"{label}: {error?.Message}");
                Assert.Equal(truth.Select(Describe), stored.Select(Describe));
            }
            else
            {
                Assert.True(error is not null, $"{label}: collected without an error, {stored.Count} rows");
                Assert.False(string.IsNullOrWhiteSpace(error.Message), label);
                Assert.Empty(stored);
            }

            outcomes[fault ?? "clean"] = outcomes.GetValueOrDefault(fault ?? "clean") + 1;
        }

        // The seeds exercise clean sources and faults both.
        Assert.True(outcomes.GetValueOrDefault("clean") >= 5, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 5, string.Join(", ", outcomes));
    }

    private static string Describe(HourlyUsage r) =>
        $"{UtcHour.Format(r.Hour)} {r.Project}/{r.Model} {r.InputTokens} {r.OutputTokens} {r.Requests} {r.CachedInputTokens}";

    /// <summary>The rows the store must hold when the source is clean, and the pages the source answers, by cursor.</summary>
    private (List<HourlyUsage> Truth, List<Answer> Pages) Script(Random random, string? fault)
    {
        var truth = new List<HourlyUsage>();
        var buckets = new List<(int Hour, string Json)>();
        for (var h = 0; h < Hours; h++)
        {
            var results = new List<string>();
            foreach (var project in new[] { "tutor", "support", "é-café" })
            {
                foreach (var model in new[] { "gpt-4.1", "deepseek-v3.2" })
                {
                    if (random.Next(3) == 0)
                    {
                        continue;
                    }

                    var input = random.Next(1, 1_000_000);
                    var row = new HourlyUsage
                    {
                        Hour = Rows.T0.AddHours(h),
                        Project = project,
                        Model = model,
                        InputTokens = input,
                        OutputTokens = random.Next(0, 100_000),
                        Requests = random.Next(1, 1000),
                        CachedInputTokens = random.Next(0, input),
                    };
                    truth.Add(row);
                    results.Add(Result(row.Project, row.Model, row.InputTokens.ToString(CultureInfo.InvariantCulture), row.OutputTokens, row.Requests, row.CachedInputTokens!.Value));
                }
            }

            // A gap hour comes as a bucket without results, or not at all.
            if (results.Count > 0 || random.Next(2) == 0)
            {
                buckets.Add((h, Bucket(Rows.T0.AddHours(h).ToUnixTimeSeconds(), results)));
            }
        }

        // Split in order over 1-5 pages.
        var pageCount = random.Next(1, 6);
        var pages = Enumerable.Range(0, pageCount).Select(_ => new List<string>()).ToList();
        var cuts = Enumerable.Range(0, pageCount - 1).Select(_ => random.Next(buckets.Count + 1)).Order().ToList();
        for (var b = 0; b < buckets.Count; b++)
        {
            pages[cuts.Count(c => c <= b)].Add(buckets[b].Json);
        }

        // Clean noise: a bucket repeated identically on a later page, shuffled pages, valid buckets outside the window.
        for (var k = random.Next(4); k > 0 && buckets.Count > 0; k--)
        {
            var page = random.Next(pageCount);
            pages[page].Add(buckets[random.Next(buckets.Count)].Json);
        }

        foreach (var page in pages.Where(_ => random.Next(2) == 0))
        {
            var shuffled = page.OrderBy(_ => random.Next()).ToList();
            page.Clear();
            page.AddRange(shuffled);
        }

        if (random.Next(3) == 0)
        {
            pages[random.Next(pageCount)].Add(Bucket(Rows.T0.AddHours(Hours + 3).ToUnixTimeSeconds(), [Result("tutor", "gpt-4.1", "5", 1, 1, 0)]));
        }

        var target = random.Next(pageCount);
        var hour = Rows.T0.AddHours(random.Next(Hours)).ToUnixTimeSeconds();
        switch (fault)
        {
            case "conflict":
                var original = truth[random.Next(truth.Count)];
                pages[target].Add(Bucket(original.Hour.ToUnixTimeSeconds(), [Result(original.Project, original.Model, (original.InputTokens + 1).ToString(CultureInfo.InvariantCulture), original.OutputTokens, original.Requests, original.CachedInputTokens!.Value)]));
                break;
            case "off-hour":
                pages[target].Add(Bucket(hour + 1800, [Result("tutor", "gpt-4.1", "5", 1, 1, 0)]));
                break;
            case "huge-count":
                pages[target].Add(Bucket(hour, [Result("batch", "gpt-4.1", "9223372036854775807", 1, 1, 0)]));
                break;
            case "beyond-64-bits":
                pages[target].Add(Bucket(hour, [Result("batch", "gpt-4.1", "18446744073709551616", 1, 1, 0)]));
                break;
            case "past-9999":
                pages[target].Add(Bucket(253_402_300_800 + (3600L * random.Next(1000)), [Result("tutor", "gpt-4.1", "5", 1, 1, 0)]));
                break;
            case "bad-name":
                string[] names = ["*", "a/b", "x\ny", "\u001b[31m", new string('n', 201), ""];
                pages[target].Add(Bucket(hour, [Result("batch", names[random.Next(names.Length)], "5", 1, 1, 0)]));
                break;
        }

        var answers = pages.Select((page, i) => new Answer(
            $$"""{"object":"page","data":[{{string.Join(',', page)}}],"has_more":{{(i < pageCount - 1 ? "true" : "false")}},"next_page":{{(i < pageCount - 1 ? $"\"c{i + 1}\"" : "null")}}}""",
            null)).ToList();
        switch (fault)
        {
            case "cycle":
                answers[^1] = answers[^1] with { Body = answers[^1].Body.Replace("\"has_more\":false,\"next_page\":null", $"\"has_more\":true,\"next_page\":\"c{random.Next(pageCount)}\"", StringComparison.Ordinal) };
                break;
            case "endless":
                answers[^1] = answers[^1] with { Body = answers[^1].Body.Replace("\"has_more\":false,\"next_page\":null", $"\"has_more\":true,\"next_page\":\"c{pageCount}\"", StringComparison.Ordinal) };
                for (var p = pageCount; p <= MaxPages + 2; p++)
                {
                    answers.Add(new Answer($$"""{"object":"page","data":[],"has_more":true,"next_page":"c{{p + 1}}"}""", null));
                }

                break;
            case "redirect":
                answers[target] = new Answer("", _other.BaseUrl + "/organization/usage/completions");
                break;
            case "garbage":
                answers[target] = new Answer(random.Next(2) == 0 ? "<html>502 Bad Gateway</html>" : answers[target].Body[..(answers[target].Body.Length / 2)], null);
                break;
        }

        return ([.. truth.OrderBy(r => r.Hour).ThenBy(r => r.Project, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)], answers);
    }

    private static Task AnswerAsync(HttpContext context, List<Answer> pages)
    {
        var cursor = context.Request.Query["page"].ToString();
        var index = cursor.Length == 0 ? 0 : int.Parse(cursor[1..], CultureInfo.InvariantCulture);
        var answer = pages[index];
        if (answer.RedirectTo is { } location)
        {
            context.Response.Redirect(location + context.Request.QueryString);
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(answer.Body);
    }

    private static string Bucket(long start, IEnumerable<string> results) =>
        $$"""{"object":"bucket","start_time":{{start}},"end_time":{{start + 3600}},"results":[{{string.Join(',', results)}}]}""";

    private static string Result(string project, string model, string input, long output, long requests, long cached) =>
        $$"""{"object":"organization.usage.completions.result","model":{{JsonSerializer.Serialize(model)}},"project_id":{{JsonSerializer.Serialize(project)}},"input_tokens":{{input}},"output_tokens":{{output}},"num_model_requests":{{requests}},"input_cached_tokens":{{cached}},"batch":null}""";

    private sealed record Answer(string Body, string? RedirectTo);
}
