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

    public void Dispose() => _folder.Dispose();

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
        switch (random.Next(10))
        {
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
