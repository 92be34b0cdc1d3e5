using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Forecasting.Core.Features;
using Forecasting.Core.Pricing;

namespace Forecasting.Core.Planning;

/// <summary>
/// What finance and SRE configure (<c>config/forecasting.json</c>): monthly budgets per project,
/// provider rate limits per model, the reporting currency, and the price table.
/// </summary>
public sealed record PlanningSettings
{
    /// <summary>Monthly budget per project, in USD.</summary>
    public Dictionary<string, double> BudgetsUsdPerMonth { get; init; } = [];

    /// <summary>Provider limit in requests per minute, per model.</summary>
    public Dictionary<string, double> RateLimitsRpm { get; init; } = [];

    /// <summary>Currency shown in reports; amounts are converted from USD at <see cref="PerUsd"/>.</summary>
    public string Currency { get; init; } = "USD";

    public double PerUsd { get; init; } = 1.0;

    /// <summary>Share of a project's traffic on its most expensive model that the cost recommendation prices moving.</summary>
    public double SwitchShare { get; init; } = 0.3;

    /// <summary>Prices per model; the built-in table when absent.</summary>
    public PriceFile? Prices { get; init; }

    /// <summary>A forecast older than this is reported stale in plans and reports (model health); the API has its own <c>Forecasting:StaleAfterMinutes</c>.</summary>
    public double StaleAfterHours { get; init; } = 2;

    /// <summary>Model names as sources spell them, to the one name series, prices and reports use (beside the built-in list).</summary>
    public Dictionary<string, string> ModelAliases { get; init; } = [];

    /// <summary>Usage sources (relay accounts, OpenAI organizations) that <c>collect --source-name</c>/<c>--all-sources</c> and the refresh job collect.</summary>
    public List<SourceSettings> Sources { get; init; } = [];

    /// <summary>A series' recent reported cost (<c>cost_usd</c>) differing from the table's price by more than this share is reported.</summary>
    public double CostMismatchShare { get; init; } = 0.2;

    /// <summary>Holiday dates for every project and per project (local dates of each project's time zone).</summary>
    public HolidaySettings? Holidays { get; init; }

    /// <summary>The IANA time zone of each project's calendar features; UTC by default.</summary>
    public TimeZoneSettings? TimeZones { get; init; }

    public Usage.ModelAliases Aliases => new(ModelAliases);

    /// <summary>
    /// The features training uses, with the calendar of these settings (holidays, time zones): the one place the
    /// settings become <see cref="FeatureOptions"/>, so train, retrain and backtest build the same features. A
    /// forecast uses the calendar recorded with its model.
    /// </summary>
    public FeatureOptions Features() => new()
    {
        Holidays = [.. (Holidays?.Dates ?? []).Select(ParseDate).Distinct().Order()],
        ProjectHolidays = (Holidays?.Projects ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<DateOnly>)[.. p.Value.Select(ParseDate).Distinct().Order()], StringComparer.Ordinal),
        TimeZone = TimeZones?.Default ?? "UTC",
        ProjectTimeZones = (TimeZones?.Projects ?? []).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
    };

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public PriceTable PriceTable => Prices is null
        ? PriceTable.Default
        : new PriceTable(Prices.Version, Prices.Models.ToDictionary(m => m.Key, m => new ModelPrice(m.Value.Input, m.Value.CachedInput, m.Value.Output)));

    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>The largest <see cref="PerUsd"/>: units of the reporting currency per USD.</summary>
    public const double MaxPerUsd = 1e6;

    /// <summary>The largest monthly budget, in USD.</summary>
    public const double MaxBudgetUsd = 1e12;

    /// <summary>The largest rate limit, in requests per minute.</summary>
    public const double MaxRateLimitRpm = 1e9;

    /// <summary>The largest price, in USD per million tokens.</summary>
    public const double MaxPricePerMillion = 1e6;

    /// <summary>The largest <see cref="StaleAfterHours"/>: a year.</summary>
    public const double MaxStaleAfterHours = 24 * 366;

    private static readonly string[] PriceFields = ["input", "cached_input", "output"];

    /// <summary>
    /// Reads a settings file; a bad file is a user error naming the file and the key: every number finite and
    /// in range, no key given twice, every price entry with input, cached_input and output.
    /// </summary>
    public static PlanningSettings Load(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            using (var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            {
                CheckJson(document.RootElement, "", path);
            }

            var settings = JsonSerializer.Deserialize<PlanningSettings>(text, Json)
                ?? throw new InvalidInputException($"{path}: the file is empty");
            settings.Validate(path);
            return settings;
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: {e.Message}");
        }
    }

    private void ValidateCalendar(string path)
    {
        static void Dates(string path, string key, List<string>? dates)
        {
            if (dates is null)
            {
                throw new InvalidInputException($"{path}: {key}: give a list of dates such as [\"2026-12-25\"]");
            }

            for (var i = 0; i < dates.Count; i++)
            {
                if (dates[i] is not { } text || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year < 2000 || date.Year > 2200)
                {
                    var shown = dates[i] is null ? "null" : $"'{Shown(dates[i])}'";
                    throw new InvalidInputException($"{path}: {key}[{i}]: {shown} is not a date; write YYYY-MM-DD (e.g. 2026-12-25), years 2000 to 2200");
                }
            }
        }

        static void Zone(string path, string key, string? zone)
        {
            try
            {
                _ = FeatureOptions.FindZone(zone ?? throw new InvalidInputException("no time zone given"));
            }
            catch (InvalidInputException e)
            {
                throw new InvalidInputException($"{path}: {key}: {e.Message}");
            }
        }

        if (Holidays is { } holidays)
        {
            Dates(path, "holidays.dates", holidays.Dates);
            foreach (var (project, dates) in holidays.Projects ?? [])
            {
                Name(path, $"holidays.projects.{project}", project);
                Dates(path, $"holidays.projects.{project}", dates);
            }
        }

        if (TimeZones is { } zones)
        {
            Zone(path, "time_zones.default", zones.Default);
            foreach (var (project, zone) in zones.Projects ?? [])
            {
                Name(path, $"time_zones.projects.{project}", project);
                Zone(path, $"time_zones.projects.{project}", zone);
            }
        }
    }

    /// <summary>A settings value in a message: at most 40 characters, control characters as \uXXXX.</summary>
    internal static string Shown(string text)
    {
        var clipped = text.Length <= 40 ? text : text[..40] + "...";
        return string.Concat(clipped.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }

    private static void Name(string path, string key, string name)
    {
        if (Usage.UsageLimits.CheckName(name) is { } reason)
        {
            throw new InvalidInputException($"{path}: {key}: the name {reason}");
        }
    }

    /// <summary>What the typed settings cannot see: keys given twice (the last would silently win), numbers beyond double, incomplete prices.</summary>
    private static void CheckJson(JsonElement element, string key, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                // Price models are looked up ignoring case, so GPT-4.1 and gpt-4.1 are the same entry.
                var names = new HashSet<string>(key == "prices.models" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var child = key.Length == 0 ? property.Name : key + "." + property.Name;
                    if (!names.Add(property.Name))
                    {
                        throw new InvalidInputException($"{path}: {child} is given twice; keep one");
                    }

                    CheckJson(property.Value, child, path);
                }

                if (key.StartsWith("prices.models.", StringComparison.Ordinal) && key.Count(c => c == '.') == 2)
                {
                    foreach (var field in PriceFields.Where(f => !element.TryGetProperty(f, out var v) || v.ValueKind != JsonValueKind.Number))
                    {
                        throw new InvalidInputException($"{path}: {key}.{field} is missing; a price entry needs input, cached_input and output (USD per million tokens), or the model is not priced at all");
                    }
                }

                if (key == "prices" && (!element.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Object))
                {
                    throw new InvalidInputException($"{path}: prices.models is missing; give {{\"model\": {{\"input\", \"cached_input\", \"output\"}}}} or leave prices out for the built-in list prices");
                }

                if (key == "prices" && (!element.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(version.GetString())))
                {
                    throw new InvalidInputException($"{path}: prices.version is missing; name the price table (e.g. the date the prices were read)");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckJson(item, $"{key}[{index++}]", path);
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw new InvalidInputException($"{path}: {key}: {element.GetRawText()} is not a finite number");
                }

                break;
        }
    }

    private void Validate(string path)
    {
        static void Range(string path, string key, double value, double min, bool minIncluded, double max)
        {
            if (!double.IsFinite(value) || value < min || (!minIncluded && value == min) || value > max)
            {
                var low = minIncluded ? $"from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : $"above {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                throw new InvalidInputException($"{path}: {key}: {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; it must be {low} up to {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
        }

        if (string.IsNullOrWhiteSpace(Currency) || Currency.Length > 10 || Currency.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new InvalidInputException($"{path}: currency: give a short code such as USD, EUR or CNY");
        }

        Range(path, "per_usd", PerUsd, 0, false, MaxPerUsd);
        Range(path, "switch_share", SwitchShare, 0, false, 1);
        Range(path, "stale_after_hours", StaleAfterHours, 0, false, MaxStaleAfterHours);
        foreach (var (project, budget) in BudgetsUsdPerMonth)
        {
            Name(path, $"budgets_usd_per_month.{project}", project);
            Range(path, $"budgets_usd_per_month.{project}", budget, 0, false, MaxBudgetUsd);
        }

        foreach (var (model, limit) in RateLimitsRpm)
        {
            Name(path, $"rate_limits_rpm.{model}", model);
            Range(path, $"rate_limits_rpm.{model}", limit, 0, false, MaxRateLimitRpm);
        }

        Range(path, "cost_mismatch_share", CostMismatchShare, 0, false, 100);
        foreach (var (alias, model) in ModelAliases)
        {
            if (string.IsNullOrWhiteSpace(alias) || alias.Length > Usage.UsageLimits.MaxNameLength || alias.Any(char.IsControl))
            {
                throw new InvalidInputException($"{path}: model_aliases: an alias must be 1 to {Usage.UsageLimits.MaxNameLength} printable characters");
            }

            Name(path, $"model_aliases.{alias}", model);
        }

        var sourceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Sources.Count; i++)
        {
            var source = Sources[i];
            var key = $"sources[{i}]";
            Name(path, $"{key}.name", source.Name);
            if (!sourceNames.Add(source.Name))
            {
                throw new InvalidInputException($"{path}: {key}.name: '{source.Name}' is given twice; source names must differ");
            }

            if (source.Kind is not ("relay" or "openai"))
            {
                throw new InvalidInputException($"{path}: {key}.kind: '{source.Kind}' is not relay or openai");
            }

            if (!Uri.TryCreate(source.BaseUrl, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                // The value is not repeated: it may hold a password.
                throw new InvalidInputException($"{path}: {key}.base_url: not an http(s) address such as https://relay.example.com/v1");
            }

            if (string.IsNullOrWhiteSpace(source.ApiKeyEnv) || source.ApiKeyEnv.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
            {
                throw new InvalidInputException($"{path}: {key}.api_key_env: give the name of an environment variable (letters, digits, _), never the key");
            }

            if (source.Project is { } project)
            {
                Name(path, $"{key}.project", project);
            }

            if (source.RequestDates is not ("date" or "timestamp"))
            {
                throw new InvalidInputException($"{path}: {key}.request_dates: '{source.RequestDates}' is not date or timestamp");
            }

            if (source.Method is not ("POST" or "GET"))
            {
                throw new InvalidInputException($"{path}: {key}.method: '{source.Method}' is not POST or GET");
            }
        }

        ValidateCalendar(path);
        foreach (var (model, price) in Prices?.Models ?? [])
        {
            Name(path, $"prices.models.{model}", model);
            Range(path, $"prices.models.{model}.input", price.Input, 0, true, MaxPricePerMillion);
            Range(path, $"prices.models.{model}.cached_input", price.CachedInput, 0, true, MaxPricePerMillion);
            Range(path, $"prices.models.{model}.output", price.Output, 0, true, MaxPricePerMillion);
        }
    }
}
