using Forecasting.Core.Planning;

namespace Forecasting.Core.Tests.Planning;

public sealed class PlanningSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forecasting-settings-").FullName;

    [Fact]
    public void TheShippedSettingsFileLoads()
    {
        var settings = PlanningSettings.Load(Path.Combine(RepoRoot(), "config", "forecasting.json"));

        Assert.Equal(2, settings.StaleAfterHours);
        Assert.True(settings.PriceTable.TryGet("gpt-4.1", out var price));
        Assert.Equal(8.0, price.OutputPerMillion);
    }

    [Fact]
    public void SourcesAndAliasesLoadWithTheirDefaults()
    {
        var path = Path.Combine(_dir, "sources.json");
        File.WriteAllText(path, """
            {
              "model_aliases": { "claude-sonnet-4-5": "claude-sonnet-4.5" },
              "sources": [
                { "name": "team-a", "base_url": "https://relay.example.com/v1", "api_key_env": "RELAY_KEY_A", "project": "team-a" },
                { "name": "team-b", "kind": "relay", "base_url": "https://relay.example.com/v1", "api_key_env": "RELAY_KEY_B", "method": "GET", "request_dates": "timestamp", "assume_utc": true }
              ]
            }
            """);

        var settings = PlanningSettings.Load(path);

        Assert.Equal("claude-sonnet-4.5", settings.Aliases.Canonical("anthropic/claude-sonnet-4-5"));
        Assert.Equal(["team-a", "team-b"], settings.Sources.Select(s => s.Name));
        Assert.True(settings.Sources[0] is { Kind: "relay", Method: "POST", RequestDates: "date", AssumeUtc: false, Project: "team-a" });
        Assert.True(settings.Sources[1] is { Method: "GET", RequestDates: "timestamp", AssumeUtc: true, Project: null });
    }

    [Theory]
    [InlineData("""{"prices":{"version":"v","models":{"m":{"input":1,"cached_input":0.5}}}}""", "prices.models.m.output is missing")]
    [InlineData("""{"prices":{"version":"v","models":{"m":{"input":1,"output":2}}}}""", "prices.models.m.cached_input is missing")]
    [InlineData("""{"per_usd":1e400}""", "per_usd: 1e400 is not a finite number")]
    [InlineData("""{"per_usd":-7.1}""", "per_usd: -7.1 is out of range")]
    [InlineData("""{"prices":{"version":"v"}}""", "prices.models is missing")]
    [InlineData("""{"prices":{"models":{"m":{"input":1,"cached_input":0.5,"output":2}}}}""", "prices.version is missing")]
    [InlineData("""{"stale_after_hours":1e308}""", "stale_after_hours: 1E+308 is out of range")]
    [InlineData("""{"stale_after_hours":-5}""", "stale_after_hours: -5 is out of range")]
    [InlineData("""{"stale_after_hours":2,"stale_after_hours":3}""", "stale_after_hours is given twice")]
    [InlineData("""{"budgets_usd_per_month":{"tutor":100,"tutor":200}}""", "budgets_usd_per_month.tutor is given twice")]
    [InlineData("""{"prices":{"version":"v","models":{"gpt-4.1":{"input":1,"cached_input":0.5,"output":2},"GPT-4.1":{"input":1,"cached_input":0.5,"output":3}}}}""", "prices.models.GPT-4.1 is given twice")]
    [InlineData("""{"budgets_usd_per_month":{"tutor":-1}}""", "budgets_usd_per_month.tutor: -1 is out of range")]
    [InlineData("""{"budgets_usd_per_month":{"a/b":10}}""", "budgets_usd_per_month.a/b: the name contains '/'")]
    [InlineData("""{"rate_limits_rpm":{"gpt-4.1":0}}""", "rate_limits_rpm.gpt-4.1: 0 is out of range")]
    [InlineData("""{"prices":{"version":"v","models":{"m":{"input":-1,"cached_input":0.5,"output":2}}}}""", "prices.models.m.input: -1 is out of range")]
    [InlineData("""{"switch_share":1.5}""", "switch_share: 1.5 is out of range")]
    [InlineData("""{"currency":""}""", "currency:")]
    [InlineData("""{"model_aliases":{"deepseek-chat":"deepseek/v3"}}""", "model_aliases.deepseek-chat: the name contains '/'")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1"},{"name":"A","base_url":"https://r.example/v1"}]}""", "sources[1].name: 'A' is given twice")]
    [InlineData("""{"sources":[{"name":"a","kind":"ftp","base_url":"https://r.example/v1"}]}""", "sources[0].kind: 'ftp' is not relay or openai")]
    [InlineData("""{"sources":[{"name":"a","base_url":"ftp://user:pw@r.example"}]}""", "sources[0].base_url: not an http(s) address")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1","api_key_env":"sk-123 secret"}]}""", "sources[0].api_key_env: give the name")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1","project":"x/y"}]}""", "sources[0].project: the name contains '/'")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1","request_dates":"epoch"}]}""", "sources[0].request_dates: 'epoch' is not date or timestamp")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1","method":"PUT"}]}""", "sources[0].method: 'PUT' is not POST or GET")]
    [InlineData("""{"sources":[{"name":"a","base_url":"https://r.example/v1","colour":"red"}]}""", "The JSON property 'colour'")]
    [InlineData("""{"cost_mismatch_share":0}""", "cost_mismatch_share: 0 is out of range")]
    [InlineData("""{"time_zones":{"projects":{"tutor":"America/New_Yrok"}}}""", "time_zones.projects.tutor: unknown time zone 'America/New_Yrok'")]
    [InlineData("""{"time_zones":{"default":"Mars/Olympus"}}""", "time_zones.default: unknown time zone 'Mars/Olympus'")]
    [InlineData("""{"time_zones":{"projects":{"a/b":"UTC"}}}""", "time_zones.projects.a/b: the name contains '/'")]
    [InlineData("""{"holidays":{"dates":["2026-12-25","2026-13-01"]}}""", "holidays.dates[1]: '2026-13-01' is not a date; write YYYY-MM-DD")]
    [InlineData("""{"holidays":{"dates":["25/12/2026"]}}""", "holidays.dates[0]: '25/12/2026' is not a date")]
    [InlineData("""{"holidays":{"projects":{"tutor":["2026-11-26T00:00:00Z"]}}}""", "holidays.projects.tutor[0]: '2026-11-26T00:00:00Z' is not a date")]
    [InlineData("""{"holidays":{"projects":{"tutor":null}}}""", "holidays.projects.tutor: give a list of dates")]
    [InlineData("""{"holidays":{"date":["2026-12-25"]}}""", "The JSON property 'date'")]
    public void ABadValueIsAUserErrorNamingTheKey(string json, string expected)
    {
        var path = Path.Combine(_dir, "settings.json");
        File.WriteAllText(path, json);

        var e = Assert.Throws<InvalidInputException>(() => PlanningSettings.Load(path));

        Assert.Contains(path + ": " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HolidaysAndTimeZonesBecomeTheFeatureCalendar()
    {
        var path = Path.Combine(_dir, "calendar.json");
        File.WriteAllText(path, """
            {
              "holidays": { "dates": ["2026-12-25", "2026-01-01"], "projects": { "tutor": ["2026-11-26"] } },
              "time_zones": { "projects": { "tutor": "America/New_York", "codegen": "Europe/Paris" } }
            }
            """);

        var features = PlanningSettings.Load(path).Features();

        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 25)], features.Holidays);
        Assert.Equal("UTC", features.TimeZone);
        var tutor = features.CalendarOf("tutor/gpt-4.1");
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), tutor.Zone);
        Assert.True(tutor.Holidays.SetEquals([new DateOnly(2026, 1, 1), new DateOnly(2026, 11, 26), new DateOnly(2026, 12, 25)]));
        Assert.Equal("Europe/Paris", features.CalendarOf("codegen/*").Zone.Id);
        // Roll-ups across projects and projects not listed: the default zone and the common holidays only.
        var total = features.CalendarOf("*/*");
        Assert.Equal(TimeZoneInfo.Utc, total.Zone);
        Assert.False(total.Holidays.Contains(new DateOnly(2026, 11, 26)));
        Assert.Equal(TimeZoneInfo.Utc, features.CalendarOf("analytics/gpt-4.1").Zone);
    }

    [Fact]
    public void NoCalendarSettingsMeanUtcWithoutHolidays()
    {
        var features = new PlanningSettings().Features();

        Assert.Equal("UTC", features.TimeZone);
        Assert.Empty(features.Holidays);
        Assert.Empty(features.ProjectTimeZones);
        Assert.Equal((TimeZoneInfo.Utc, 0), (features.CalendarOf("tutor/m").Zone, features.CalendarOf("tutor/m").Holidays.Count));
    }

    [Fact]
    public void ACompleteConfiguredPriceEntryIsUsed()
    {
        var path = Path.Combine(_dir, "settings.json");
        File.WriteAllText(path, """{"prices":{"version":"v9","models":{"m":{"input":1,"cached_input":0.5,"output":2}}}}""");

        var table = PlanningSettings.Load(path).PriceTable;

        Assert.Equal("v9", table.Version);
        Assert.True(table.TryGet("m", out var price));
        Assert.Equal((1.0, 0.5, 2.0), (price.InputPerMillion, price.CachedInputPerMillion, price.OutputPerMillion));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Forecasting.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Forecasting.sln not found above " + AppContext.BaseDirectory);
    }
}
