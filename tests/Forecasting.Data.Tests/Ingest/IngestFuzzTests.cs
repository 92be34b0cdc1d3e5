using System.Text;
using Forecasting.Data.Export;
using Forecasting.Data.Ingest;
using Forecasting.Data.Stores;
using Forecasting.Data.Tests.Support;

using Forecasting.Testing;

namespace Forecasting.Data.Tests.Ingest;

/// <summary>
/// Property: whatever the bytes of a usage file, ingest ends either refused, with every error naming a line
/// and a field and nothing stored, or loaded, with exactly the parsed rows stored. Never a crash, never a
/// partial write. Cases are mutations (seeded) of a valid file.
/// </summary>
public sealed class IngestFuzzTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task EveryMutatedCsvIsRefusedCleanlyOrLoadedExactly(int seed)
    {
        var random = new Random(seed);
        var valid = await ValidCsvAsync();
        for (var i = 0; i < 60; i++)
        {
            var path = _folder.File($"case-{seed}-{i}.csv");
            await File.WriteAllBytesAsync(path, Mutate(valid, random));
            await AssertCleanOutcomeAsync(path);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task EveryMutatedRequestLogIsRefusedCleanlyOrLoadedExactly(int seed)
    {
        var random = new Random(seed);
        var lines = Enumerable.Range(0, 40).Select(i =>
            $$"""{"timestamp":"2026-01-05T{{i % 24:00}}:{{i % 60:00}}:00Z","model":"gpt-4.1","project":"p{{i % 3}}","prompt_tokens":{{100 + i}},"completion_tokens":{{i}},"latency_ms":{{i * 3}}}""");
        var valid = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        for (var i = 0; i < 60; i++)
        {
            var path = _folder.File($"case-{seed}-{i}.jsonl");
            await File.WriteAllBytesAsync(path, Mutate(valid, random));
            await AssertCleanOutcomeAsync(path);
        }
    }

    public static TheoryData<string, string?, string?> HostileShapes => new()
    {
        // shape, the field refused (null: loads), what the reason says
        { "project *", "project", "reserved" },
        { "model *", "model", "reserved" },
        { "project a/b beside model b/c", "project", "'/'" },
        { "max count", "input_tokens", "more than 1000000000000" },
        { "year 0001", "hour", "before 2000-01-01" },
        { "year 9999", "hour", "in the future" },
        { "model of 10,000 characters", "model", "characters long; at most 200" },
        { "newline in a name", "model", "U+000A" },
        { "escape in a name", "project", "U+001B" },
        { "200 × é", null, null },
    };

    [Theory]
    [MemberData(nameof(HostileShapes))]
    public async Task HostileShapesAreRefusedNamingLineAndFieldOrLoadedExactly(string shape, string? field, string? reason)
    {
        var hostile = shape switch
        {
            "project *" => Row("2026-01-05T01:00:00Z", "gpt-4.1", "*", "5"),
            "model *" => Row("2026-01-05T01:00:00Z", "*", "tutor", "5"),
            "project a/b beside model b/c" => Row("2026-01-05T01:00:00Z", "c", "a/b", "5") + Row("2026-01-05T01:00:00Z", "b/c", "a", "5"),
            "max count" => Row("2026-01-05T01:00:00Z", "gpt-4.1", "tutor", "9223372036854775807") + Row("2026-01-05T02:00:00Z", "gpt-4.1", "tutor", "9223372036854775807"),
            "year 0001" => Row("0001-01-01T00:00:00Z", "gpt-4.1", "tutor", "5"),
            "year 9999" => Row("9999-12-31T23:00:00Z", "gpt-4.1", "tutor", "5"),
            // 1,000: a CSV field beyond 4,096 characters is refused earlier, as a malformed row (the mutations below try that).
            "model of 10,000 characters" => Row("2026-01-05T01:00:00Z", new string('m', 1_000), "tutor", "5"),
            "newline in a name" => Row("2026-01-05T01:00:00Z", "\"gpt\n4\"", "tutor", "5"),
            "escape in a name" => Row("2026-01-05T01:00:00Z", "gpt-4.1", "\u001b[31mred", "5"),
            _ => Row("2026-01-05T01:00:00Z", "gpt-4.1", new string('é', 200), "5"),
        };
        var csv = _folder.File($"shape-{shape.GetHashCode(StringComparison.Ordinal):x}.csv");
        await File.WriteAllTextAsync(csv, "hour,model,project,input_tokens,output_tokens,requests\n" + Row("2026-01-05T00:00:00Z", "gpt-4.1", "tutor", "7") + hostile);

        await using var store = await UsageStore.OpenAndMigrateAsync(csv + ".db", CancellationToken.None);
        var outcome = await new UsageIngestor(store).IngestAsync(csv, skipInvalid: false, CancellationToken.None);
        var stored = (await store.SummarizeAsync(CancellationToken.None)).Rows;

        if (field is null)
        {
            Assert.Empty(outcome.Errors);
            Assert.Equal(2, stored);
        }
        else
        {
            var error = outcome.Errors[0];
            // A quoted newline: the record ends on line 4, the line the error names.
            Assert.Equal((shape == "newline in a name" ? 4L : 3L, field), (error.Line, error.Field));
            Assert.Contains(reason!, error.Message, StringComparison.Ordinal);
            Assert.Equal(0, stored);
        }

        await AssertCleanOutcomeAsync(csv);
    }

    [Theory]
    [MemberData(nameof(HostileShapes))]
    public async Task HostileShapesInARequestLogAreRefusedOrLoadedExactly(string shape, string? field, string? reason)
    {
        static string Line(string timestamp, string model, string project, string tokens) =>
            $$"""{"timestamp":"{{timestamp}}","model":{{System.Text.Json.JsonSerializer.Serialize(model)}},"project":{{System.Text.Json.JsonSerializer.Serialize(project)}},"prompt_tokens":{{tokens}},"completion_tokens":1}""" + "\n";
        var hostile = shape switch
        {
            "project *" => Line("2026-01-05T01:10:00Z", "gpt-4.1", "*", "5"),
            "model *" => Line("2026-01-05T01:10:00Z", "*", "tutor", "5"),
            "project a/b beside model b/c" => Line("2026-01-05T01:10:00Z", "c", "a/b", "5") + Line("2026-01-05T01:10:00Z", "b/c", "a", "5"),
            "max count" => Line("2026-01-05T01:10:00Z", "gpt-4.1", "tutor", "9223372036854775807") + Line("2026-01-05T01:20:00Z", "gpt-4.1", "tutor", "9223372036854775807"),
            "year 0001" => Line("0001-01-01T00:10:00Z", "gpt-4.1", "tutor", "5"),
            "year 9999" => Line("9999-12-31T23:10:00Z", "gpt-4.1", "tutor", "5"),
            "model of 10,000 characters" => Line("2026-01-05T01:10:00Z", new string('m', 10_000), "tutor", "5"),
            "newline in a name" => Line("2026-01-05T01:10:00Z", "gpt\n4", "tutor", "5"),
            "escape in a name" => Line("2026-01-05T01:10:00Z", "gpt-4.1", "\u001b[31mred", "5"),
            _ => Line("2026-01-05T01:10:00Z", "gpt-4.1", new string('é', 200), "5"),
        };
        var jsonl = _folder.File($"shape-{shape.GetHashCode(StringComparison.Ordinal):x}.jsonl");
        await File.WriteAllTextAsync(jsonl, Line("2026-01-05T00:10:00Z", "gpt-4.1", "tutor", "7") + hostile);

        var parsed = UsageIngestor.Parse(jsonl);

        if (field is null)
        {
            Assert.Empty(parsed.Errors);
            Assert.Equal(2, parsed.Rows.Count);
        }
        else
        {
            var error = parsed.Errors[0];
            Assert.Equal((2L, field == "hour" ? "timestamp" : field == "input_tokens" ? "prompt_tokens" : field), (error.Line, error.Field));
            Assert.Contains(reason!, error.Message, StringComparison.Ordinal);
        }

        await AssertCleanOutcomeAsync(jsonl);
    }

    [Fact]
    public async Task RequestsWhoseHourlySumPassesTheBoundAreRefused()
    {
        var jsonl = _folder.File("sum.jsonl");
        var line = """{"timestamp":"2026-01-05T01:10:00Z","model":"gpt-4.1","project":"tutor","prompt_tokens":600000000000,"completion_tokens":1}""" + "\n";
        await File.WriteAllTextAsync(jsonl, line + line);

        var parsed = UsageIngestor.Parse(jsonl);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal((2L, "prompt_tokens"), (error.Line, error.Field));
        Assert.Contains("the hour's sum", error.Message, StringComparison.Ordinal);
        await AssertCleanOutcomeAsync(jsonl);
    }

    public void Dispose() => _folder.Dispose();

    private static string Row(string hour, string model, string project, string input) => $"{hour},{model},{project},{input},1,1\n";

    private static async Task AssertCleanOutcomeAsync(string path)
    {
        await using var store = await UsageStore.OpenAndMigrateAsync(path + ".db", CancellationToken.None);
        var parsed = UsageIngestor.Parse(path);
        var outcome = await new UsageIngestor(store).IngestAsync(path, skipInvalid: false, CancellationToken.None);
        var stored = (await store.SummarizeAsync(CancellationToken.None)).Rows;
        if (outcome.Refused)
        {
            Assert.NotEmpty(outcome.Errors);
            Assert.All(outcome.Errors, e =>
            {
                Assert.True(e.Line >= 1, $"{path}: error without a line: {e}");
                Assert.False(string.IsNullOrWhiteSpace(e.Field), $"{path}: error without a field: {e}");
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{path}: error without a reason: {e}");
            });
            Assert.Equal(0, stored);
        }
        else
        {
            Assert.Empty(outcome.Errors);
            var keys = parsed.Rows.Select(r => r.Key).Distinct().Count();
            Assert.Equal(keys, outcome.RowsStored);
            Assert.Equal(keys, stored);
        }
    }

    private async Task<byte[]> ValidCsvAsync()
    {
        var path = _folder.File("valid.csv");
        await UsageCsvWriter.WriteAsync(Rows.Grid(30, ["gpt-4.1", "deepseek-v3.2"], ["tutor", "codegen"]).ToAsyncEnumerable(), path, CancellationToken.None);
        return await File.ReadAllBytesAsync(path);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToList();
        var text = Encoding.UTF8.GetString(valid);
        switch (random.Next(16))
        {
            case 10: // a name the series keys reserve: * or one holding the separator
                return Encoding.UTF8.GetBytes(ReplaceOnce(text, random, random.Next(2) == 0 ? ",tutor," : ",gpt-4.1,", random.Next(2) == 0 ? ",*," : ",a/b,"));
            case 11: // the largest 64-bit count, twice: its sums overflow
                return Encoding.UTF8.GetBytes(ReplaceNthDigitRun(ReplaceNthDigitRun(text, random, "9223372036854775807"), random, "9223372036854775807"));
            case 12: // an hour in year 1 or 9999
                return Encoding.UTF8.GetBytes(ReplaceOnce(text, random, "2026-01-", random.Next(2) == 0 ? "0001-01-" : "9999-01-"));
            case 13: // a name of 10,000 characters
                return Encoding.UTF8.GetBytes(ReplaceOnce(text, random, ",gpt-4.1,", "," + new string('m', 10_000) + ","));
            case 14: // a terminal escape or a quoted newline in a name
                return Encoding.UTF8.GetBytes(ReplaceOnce(text, random, ",tutor,", random.Next(2) == 0 ? ",\u001b[2Jtutor," : ",\"tu\ntor\","));
            case 15: // 200 × é: valid, must load
                return Encoding.UTF8.GetBytes(text.Replace(",tutor,", "," + new string('é', 200) + ",", StringComparison.Ordinal));
            case 0: // random bytes, invalid UTF-8 included
                for (var k = 0; k < 1 + random.Next(5); k++)
                {
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                }

                return [.. bytes];
            case 1: // truncated anywhere
                return [.. bytes.Take(random.Next(bytes.Count))];
            case 2: // a huge number
                return Encoding.UTF8.GetBytes(ReplaceNthDigitRun(text, random, new string('9', 25)));
            case 3: // a negative number
                return Encoding.UTF8.GetBytes(ReplaceNthDigitRun(text, random, "-7"));
            case 4: // local times that look like DST transitions, without an offset
                return Encoding.UTF8.GetBytes(text.Replace("T02:00:00Z", "T02:30:00", StringComparison.Ordinal));
            case 5: // duplicated rows
                var lines = text.Split('\n').ToList();
                lines.Insert(1 + random.Next(Math.Max(1, lines.Count - 1)), lines[Math.Min(lines.Count - 1, 1 + random.Next(Math.Max(1, lines.Count - 2)))]);
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            case 6: // very many columns on one line
                var many = text.Split('\n').ToList();
                many[Math.Min(many.Count - 1, 1 + random.Next(Math.Max(1, many.Count - 2)))] += string.Concat(Enumerable.Repeat(",1", 20_000));
                return Encoding.UTF8.GetBytes(string.Join('\n', many));
            case 7: // a different encoding
                return Encoding.Unicode.GetBytes(text);
            case 8: // an empty file or only whitespace
                return random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes("\n\n  \n");
            default: // unchanged: must load exactly
                return valid;
        }
    }

    private static string ReplaceOnce(string text, Random random, string find, string replacement)
    {
        var at = new List<int>();
        for (var i = text.IndexOf(find, StringComparison.Ordinal); i >= 0; i = text.IndexOf(find, i + 1, StringComparison.Ordinal))
        {
            at.Add(i);
        }

        if (at.Count == 0)
        {
            return text;
        }

        var index = at[random.Next(at.Count)];
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + find.Length));
    }

    private static string ReplaceNthDigitRun(string text, Random random, string replacement)
    {
        var runs = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=,)\d+(?=,|\n|$)");
        if (runs.Count == 0)
        {
            return text;
        }

        var run = runs[random.Next(runs.Count)];
        return string.Concat(text.AsSpan(0, run.Index), replacement, text.AsSpan(run.Index + run.Length));
    }
}
