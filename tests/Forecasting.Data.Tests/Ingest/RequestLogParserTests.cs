using Forecasting.Data.Ingest;
using Forecasting.Data.Tests.Support;

namespace Forecasting.Data.Tests.Ingest;

public sealed class RequestLogParserTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void SpellingsOfOneModelAggregateToOneHourUnderItsCanonicalName()
    {
        var path = _folder.Write("aliases.jsonl", string.Join('\n',
            """{"timestamp":"2026-01-05T13:01:00Z","model":"deepseek-chat","project":"tutor","prompt_tokens":100,"completion_tokens":10}""",
            """{"timestamp":"2026-01-05T13:02:00Z","model":"deepseek/deepseek-chat","project":"tutor","prompt_tokens":50,"completion_tokens":5}""",
            """{"timestamp":"2026-01-05T13:03:00Z","model":"deepseek-v3.2","project":"tutor","prompt_tokens":1,"completion_tokens":1}"""));

        var parsed = RequestLogParser.Parse(path);

        var row = Assert.Single(parsed.Rows);
        Assert.Equal(("deepseek-v3.2", 151L, 16L, 3L), (row.Model, row.InputTokens, row.OutputTokens, row.Requests));
    }

    [Fact]
    public void RequestsAreAggregatedToHoursPerModelAndProject()
    {
        var lines = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            lines.Add($$"""{"timestamp":"2026-01-05T13:{{i:00}}:11Z","model":"deepseek-v3.2","project":"tutor","prompt_tokens":{{100 + i}},"completion_tokens":10,"cached_tokens":5,"latency_ms":{{(i + 1) * 10}},"status":{{(i == 3 ? 500 : 200)}}}""");
        }

        lines.Add("""{"timestamp":"2026-01-05T14:00:00Z","model":"deepseek-v3.2","project":"tutor","prompt_tokens":1,"completion_tokens":2}""");
        lines.Add("""{"timestamp":"2026-01-05T13:59:59.999Z","model":"gpt-4.1","project":"tutor","prompt_tokens":7,"completion_tokens":3,"status":"error"}""");
        lines.Add("");
        var path = _folder.Write("requests.jsonl", string.Join('\n', lines));

        var parsed = RequestLogParser.Parse(path);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(3, parsed.Rows.Count);
        var hour = parsed.Rows.Single(r => r.Model == "deepseek-v3.2" && r.Hour.Hour == 13);
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 100L + i), hour.InputTokens);
        Assert.Equal(200, hour.OutputTokens);
        Assert.Equal(20, hour.Requests);
        Assert.Equal(100, hour.CachedInputTokens);
        Assert.Equal(100, hour.LatencyMsP50);
        Assert.Equal(190, hour.LatencyMsP95);
        Assert.Equal(1, hour.Errors);
        Assert.Null(parsed.Rows.Single(r => r.Hour.Hour == 14).CachedInputTokens);
        Assert.Equal(1, parsed.Rows.Single(r => r.Model == "gpt-4.1").Errors);
    }

    [Theory]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"model\":\"m\",\"project\":\"p\",\"prompt_tokens\":1", "json", "not valid JSON")]
    [InlineData("[1,2,3]", "json", "expected a JSON object")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00\",\"model\":\"m\",\"project\":\"p\",\"prompt_tokens\":1,\"completion_tokens\":1}", "timestamp", "ISO 8601")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"project\":\"p\",\"prompt_tokens\":1,\"completion_tokens\":1}", "model", "empty")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"model\":\"m\",\"project\":\"p\",\"completion_tokens\":1}", "prompt_tokens", "missing")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"model\":\"m\",\"project\":\"p\",\"prompt_tokens\":-4,\"completion_tokens\":1}", "prompt_tokens", "negative")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"model\":\"m\",\"project\":\"p\",\"prompt_tokens\":1e30,\"completion_tokens\":1}", "prompt_tokens", "not an integer")]
    [InlineData("{\"timestamp\":\"2026-01-05T13:00:00Z\",\"model\":\"m\",\"project\":\"p\",\"prompt_tokens\":\"12\",\"completion_tokens\":1}", "prompt_tokens", "not a number")]
    public void ABadLineIsReportedWithItsLineAndField(string line, string field, string message)
    {
        var good = """{"timestamp":"2026-01-05T13:00:00Z","model":"m","project":"p","prompt_tokens":1,"completion_tokens":1}""";
        var path = _folder.Write("bad.jsonl", $"{good}\n{line}\n{good}\n");

        var parsed = RequestLogParser.Parse(path);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2L, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyLogIsAnError()
    {
        var parsed = RequestLogParser.Parse(_folder.Write("empty.jsonl", "\n\n"));

        Assert.Contains("empty", Assert.Single(parsed.Errors).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
