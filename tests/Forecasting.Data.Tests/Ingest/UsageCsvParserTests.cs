using Forecasting.Data.Ingest;
using Forecasting.Data.Tests.Support;

namespace Forecasting.Data.Tests.Ingest;

public sealed class UsageCsvParserTests : IDisposable
{
    private const string Header = "hour,model,project,input_tokens,output_tokens,requests";
    private readonly TempFolder _folder = new();

    [Fact]
    public void ModelsAreStoredUnderTheirCanonicalNamesBeforeTheyAreChecked()
    {
        var path = _folder.Write("aliases.csv", $"""
            {Header}
            2026-01-05T13:00:00Z,anthropic/claude-sonnet-4-5,tutor,10,1,1
            2026-01-05T13:00:00Z,deepseek/deepseek-chat-v3-0324,tutor,10,1,1
            2026-01-05T13:00:00Z,my-deepseek,tutor,10,1,1
            2026-01-05T13:00:00Z,acme/model,tutor,10,1,1
            """);

        var parsed = UsageCsvParser.Parse(path, aliases: new Core.Usage.ModelAliases(new Dictionary<string, string> { ["my-deepseek"] = "deepseek-v3.2" }));

        Assert.Equal(["claude-sonnet-4.5", "deepseek-chat-v3-0324", "deepseek-v3.2"], parsed.Rows.Select(r => r.Model));
        // An unknown prefix is not a provider's: the name keeps its '/' and is refused.
        Assert.Contains(parsed.Errors, e => e.ToString().Contains("contains '/'", StringComparison.Ordinal));
    }

    [Fact]
    public void AValidFileParsesEveryColumn()
    {
        var path = _folder.Write("ok.csv", """
            hour,model,project,input_tokens,output_tokens,requests,cached_input_tokens,cost_usd,latency_ms_p50,latency_ms_p95,errors
            2026-01-05T13:00:00Z,deepseek-v3.2,tutor,812000,240000,1000,400000,0.3,850,2100.5,2
            2026-01-05T14:00:00+00:00,gpt-4.1,"support, EU",10,0,1,,,,,
            """);

        var parsed = UsageCsvParser.Parse(path);

        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(2, parsed.Rows.Count);
        var first = parsed.Rows[0];
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 13, 0, 0, TimeSpan.Zero), first.Hour);
        Assert.Equal((812000L, 240000L, 1000L, 400000L, 0.3, 2100.5, 2L), (first.InputTokens, first.OutputTokens, first.Requests, first.CachedInputTokens!.Value, first.CostUsd!.Value, first.LatencyMsP95!.Value, first.Errors!.Value));
        Assert.Equal("support, EU", parsed.Rows[1].Project);
        Assert.Null(parsed.Rows[1].CachedInputTokens);
    }

    [Theory]
    [InlineData("2026-01-05 13:00,gpt-4.1,p,1,1,1", "hour", "ISO 8601")]
    [InlineData("2026-01-05T13:00:00,gpt-4.1,p,1,1,1", "hour", "ISO 8601")]
    [InlineData("yesterday,gpt-4.1,p,1,1,1", "hour", "ISO 8601")]
    [InlineData("2026-02-30T13:00:00Z,gpt-4.1,p,1,1,1", "hour", "not a valid date")]
    [InlineData("2026-01-05T13:30:00Z,gpt-4.1,p,1,1,1", "hour", "start of an hour")]
    [InlineData("2026-01-05T13:00:00+05:30,gpt-4.1,p,1,1,1", "hour", "start of an hour")]
    [InlineData("2026-01-05T13:00:00Z,,p,1,1,1", "model", "empty")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,,1,1,1", "project", "empty")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,p,-1,1,1", "input_tokens", "negative")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,p,1,99999999999999999999,1", "output_tokens", "overflows")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,p,1,1,1.5", "requests", "non-negative integer")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,p,1,1", "row", "expected 6 fields, found 5")]
    [InlineData("2026-01-05T13:00:00Z,gpt-4.1,p,1,1,1,9", "row", "expected 6 fields, found 7")]
    public void ABadRowIsReportedWithItsLineAndField(string row, string field, string message)
    {
        var path = _folder.Write("bad.csv", $"{Header}\n2026-01-05T12:00:00Z,gpt-4.1,p,1,1,1\n{row}\n");

        var parsed = UsageCsvParser.Parse(path);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((path, 3L, field), (error.File, error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Single(parsed.Rows);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hour,model,project,input_tokens,output_tokens\n", "missing column(s) requests")]
    [InlineData("time,model,project,input_tokens,output_tokens,requests\n2026-01-05T13:00:00Z,m,p,1,1,1\n", "missing column(s) hour")]
    [InlineData("hour,model,project,input_tokens,output_tokens,requests,colour\n", "unknown column(s) colour")]
    [InlineData("hour,model,project,input_tokens,output_tokens,requests\n", "no rows")]
    public void AWrongHeaderOrEmptyFileIsReported(string content, string message)
    {
        var path = _folder.Write("header.csv", content);

        var parsed = UsageCsvParser.Parse(path);

        Assert.False(parsed.IsValid);
        Assert.Contains(parsed.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Empty(parsed.Rows);
    }

    [Fact]
    public void CachedTokensMayNotExceedInputTokens()
    {
        var path = _folder.Write("cached.csv", "hour,model,project,input_tokens,output_tokens,requests,cached_input_tokens\n2026-01-05T13:00:00Z,m,p,10,1,1,11\n");

        var error = Assert.Single(UsageCsvParser.Parse(path).Errors);

        Assert.Equal("cached_input_tokens", error.Field);
    }

    [Fact]
    public void InvalidUtf8IsAnErrorNotReplacementCharacters()
    {
        var path = _folder.File("latin1.csv");
        var bytes = System.Text.Encoding.ASCII.GetBytes($"{Header}\n2026-01-05T13:00:00Z,m,caf").Concat(new byte[] { 0xE9 }).Concat(System.Text.Encoding.ASCII.GetBytes(",1,1,1\n")).ToArray();
        File.WriteAllBytes(path, bytes);

        var parsed = UsageCsvParser.Parse(path);

        Assert.Contains(parsed.Errors, e => e.Field == "encoding");
    }

    public void Dispose() => _folder.Dispose();
}
