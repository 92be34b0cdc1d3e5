using Forecasting.Core.Forecasting;
using Forecasting.Core.Pricing;
using Forecasting.Core.Usage;

namespace Forecasting.Data.Samples;

/// <summary>
/// Seeded generator of realistic hourly LLM usage: four projects in three time zones using five
/// models at their list prices, with daily and weekly seasonality, compounding growth, a holiday dip
/// (US Labor Day), a product launch step, relay outages (hours absent, not zero), bursts, and
/// multiplicative noise. Same options, same rows, on every machine.
/// </summary>
public static class SampleUsageGenerator
{
    private static readonly ProjectProfile[] BaseProjects =
    [
        // An education app in China: after-school and evening peaks, busy weekends.
        new("tutor", UtcOffsetHours: 8, PeakTokensPerHour: 4_200_000, WeekendFactor: 1.15, EveningBoost: 0.9, Batch: false,
            TokensPerRequest: 1_900, OutputShare: 0.28, CachedShare: 0.45,
            Models: [("deepseek-v3.2", 0.7), ("gemini-2.5-flash", 0.3)]),
        // A customer-support bot in the US: business hours, quiet weekends.
        new("support-bot", UtcOffsetHours: -5, PeakTokensPerHour: 1_600_000, WeekendFactor: 0.3, EveningBoost: 0.1, Batch: false,
            TokensPerRequest: 2_600, OutputShare: 0.18, CachedShare: 0.6,
            Models: [("gpt-4.1", 0.55), ("gpt-4.1-mini", 0.45)]),
        // A coding assistant in Europe: long working days, some weekend hacking; launches a feature mid-sample.
        new("codegen", UtcOffsetHours: 1, PeakTokensPerHour: 3_000_000, WeekendFactor: 0.45, EveningBoost: 0.35, Batch: false,
            TokensPerRequest: 7_500, OutputShare: 0.22, CachedShare: 0.5,
            Models: [("claude-sonnet-4.5", 0.8), ("gpt-4.1", 0.2)]),
        // A nightly analytics batch: a few heavy hours around 02:00 UTC every day.
        new("analytics", UtcOffsetHours: 0, PeakTokensPerHour: 6_500_000, WeekendFactor: 0.8, EveningBoost: 0, Batch: true,
            TokensPerRequest: 3_200, OutputShare: 0.12, CachedShare: 0.1,
            Models: [("deepseek-v3.2", 0.65), ("gemini-2.5-flash", 0.35)]),
    ];

    public static IEnumerable<HourlyUsage> Generate(SampleUsageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Weeks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ExtraTenants);
        var random = new Random(options.Seed);
        var hours = options.Weeks * 7 * 24;
        var projects = BaseProjects.ToList();
        for (var i = 1; i <= options.ExtraTenants; i++)
        {
            var template = BaseProjects[(i - 1) % BaseProjects.Length];
            projects.Add(template with
            {
                Name = $"tenant-{i:000}",
                PeakTokensPerHour = template.PeakTokensPerHour * (0.05 + random.NextDouble()),
                UtcOffsetHours = template.UtcOffsetHours + random.Next(-2, 3),
            });
        }

        var outages = PickOutages(random, options.Start, hours);
        var spikes = Enumerable.Range(0, Math.Max(3, options.Weeks / 3))
            .Select(_ => (Hour: options.Start.AddHours(random.Next(48, hours)), Factor: 2.5 + random.NextDouble() * 2.5, Project: random.Next(BaseProjects.Length)))
            .ToList();
        var holiday = new DateTimeOffset(2026, 9, 7, 0, 0, 0, TimeSpan.Zero);
        var launch = new DateTimeOffset(2026, 10, 5, 8, 0, 0, TimeSpan.Zero);
        var prices = PriceTable.Default;
        // Bursty traffic draws from its own stream, so the sample file's rows stay the same without it.
        var bursty = options.Bursty ? new BurstyTraffic(options.Seed, projects.Count, projects.Max(x => x.Models.Length), hours) : null;

        for (var h = 0; h < hours; h++)
        {
            var hour = options.Start.AddHours(h);
            if (outages.Contains(hour))
            {
                continue;
            }

            var weeks = h / (double)Horizon.HoursPerWeek;
            for (var p = 0; p < projects.Count; p++)
            {
                var project = projects[p];
                var local = hour.AddHours(project.UtcOffsetHours);
                var level = project.PeakTokensPerHour * Profile(project, local) * Math.Pow(1.018, weeks);
                if (local.Date == holiday.Date && project.UtcOffsetHours < 0)
                {
                    level *= 0.3;
                }
                else if (local.Date == holiday.Date)
                {
                    level *= 0.75;
                }

                if (project.Name == "codegen" && hour >= launch)
                {
                    level *= 1.6;
                }

                foreach (var spike in spikes.Where(s => s.Project == p % BaseProjects.Length && s.Hour == hour))
                {
                    level *= spike.Factor;
                }

                level *= bursty?.Factor(p, h) ?? 1;
                for (var m = 0; m < project.Models.Length; m++)
                {
                    var (model, share) = project.Models[m];
                    var noise = Math.Exp(0.14 * Gaussian(random) - 0.5 * 0.14 * 0.14) * (bursty?.Noise(p, m) ?? 1);
                    var total = (long)Math.Round(level * share * noise);
                    if (total <= 0)
                    {
                        continue;
                    }

                    var output = (long)Math.Round(total * project.OutputShare * (0.9 + 0.2 * random.NextDouble()));
                    var input = total - output;
                    var cached = (long)Math.Round(input * project.CachedShare * (0.85 + 0.3 * random.NextDouble()));
                    var requests = Math.Max(1, (long)Math.Round(total / (project.TokensPerRequest * (0.85 + 0.3 * random.NextDouble()))));
                    var latencyBase = LatencyMs(model);
                    var row = new HourlyUsage
                    {
                        Hour = hour,
                        Model = model,
                        Project = project.Name,
                        InputTokens = input,
                        OutputTokens = output,
                        Requests = requests,
                        CachedInputTokens = Math.Min(cached, input),
                        LatencyMsP50 = Math.Round(latencyBase * (0.9 + 0.2 * random.NextDouble())),
                        LatencyMsP95 = Math.Round(latencyBase * (2.2 + 0.8 * random.NextDouble())),
                        Errors = random.NextDouble() < 0.2 ? random.Next(1, 1 + (int)Math.Min(requests / 50 + 1, 20)) : 0,
                    };
                    yield return row with { CostUsd = prices.Cost(row) is { } cost ? Math.Round(cost, 6) : null };
                }
            }
        }
    }

    /// <summary>Relative activity (0..1) at a local time.</summary>
    private static double Profile(ProjectProfile project, DateTimeOffset local)
    {
        var hourOfDay = local.Hour;
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        double shape;
        if (project.Batch)
        {
            // Batch runs 01:00-04:00 with a small daytime trickle.
            shape = hourOfDay is >= 1 and <= 4 ? 1.0 - 0.15 * Math.Abs(hourOfDay - 2.5) : 0.06;
        }
        else
        {
            var work = Bump(hourOfDay, 13.5, 3.2);
            var evening = Bump(hourOfDay, 20.5, 1.6) * project.EveningBoost;
            shape = 0.08 + 0.92 * Math.Min(1.0, work + evening);
        }

        return shape * (weekend ? project.WeekendFactor : 1.0);
    }

    private static double Bump(double x, double center, double width) => Math.Exp(-0.5 * Math.Pow((x - center) / width, 2));

    private static HashSet<DateTimeOffset> PickOutages(Random random, DateTimeOffset start, int hours)
    {
        var outages = new HashSet<DateTimeOffset>();
        // Outages fall after the first week, so every series starts with a clean week of history.
        for (var i = 0; i < 3 && hours > 24 * 9; i++)
        {
            var at = random.Next(24 * 7, hours - 24);
            var length = random.Next(2, 7);
            for (var k = 0; k < length; k++)
            {
                outages.Add(start.AddHours(at + k));
            }
        }

        return outages;
    }

    private static double LatencyMs(string model) => model switch
    {
        "claude-sonnet-4.5" => 2400,
        "gpt-4.1" => 1700,
        "gpt-4.1-mini" => 900,
        "gemini-2.5-flash" => 700,
        _ => 1300,
    };

    private static double Gaussian(Random random)
    {
        // Box-Muller: System.Random has no normal sampler.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The bursty relay's extra movements (<see cref="SampleUsageOptions.Bursty"/>), drawn from their own seeded stream.</summary>
    private sealed class BurstyTraffic
    {
        private readonly Random _random;
        private readonly double[][] _factor;
        private readonly double[,] _noise;

        public BurstyTraffic(int seed, int projects, int models, int hours)
        {
            _random = new Random(unchecked(seed * 31) + 7);
            _noise = new double[projects, models];
            _factor = new double[projects][];
            for (var p = 0; p < projects; p++)
            {
                var factor = _factor[p] = new double[hours];
                Array.Fill(factor, 1.0);
                // Two lasting level shifts after the first week (a customer onboarded, a feature moved to another model).
                for (var k = 0; k < 2 && hours > 24 * 8; k++)
                {
                    var at = _random.Next(24 * 7, hours);
                    var shift = 0.6 + (1.1 * _random.NextDouble());
                    for (var h = at; h < hours; h++)
                    {
                        factor[h] *= shift;
                    }
                }

                // The level swings from day to day.
                for (var day = 0; day * 24 < hours; day++)
                {
                    var swing = Math.Exp(0.15 * Gaussian(_random));
                    for (var h = day * 24; h < Math.Min(hours, (day + 1) * 24); h++)
                    {
                        factor[h] *= swing;
                    }
                }

                // Bursts: a batch job, a viral post, a retry storm; about one every 36 hours.
                for (var h = 0; h < hours; h++)
                {
                    if (_random.NextDouble() < 1 / 36.0)
                    {
                        var length = 1 + _random.Next(12);
                        var burst = Math.Exp(Math.Log(1.5) + (_random.NextDouble() * Math.Log(5 / 1.5)));
                        for (var k = h; k < Math.Min(hours, h + length); k++)
                        {
                            factor[k] *= burst;
                        }
                    }
                }
            }
        }

        /// <summary>The project's level factor at hour <paramref name="hour"/>.</summary>
        public double Factor(int project, int hour) => project < _factor.Length ? _factor[project][hour] : 1;

        /// <summary>The next hour's persistent noise of one project's model: log-AR(1), 0.7 carried over, 0.2 new.</summary>
        public double Noise(int project, int model)
        {
            if (project >= _noise.GetLength(0))
            {
                return 1;
            }

            var next = _noise[project, model] = (0.7 * _noise[project, model]) + (0.2 * Gaussian(_random));
            return Math.Exp(next - (0.5 * 0.2 * 0.2 / (1 - (0.7 * 0.7))));
        }
    }

    private sealed record ProjectProfile(
        string Name,
        int UtcOffsetHours,
        double PeakTokensPerHour,
        double WeekendFactor,
        double EveningBoost,
        bool Batch,
        double TokensPerRequest,
        double OutputShare,
        double CachedShare,
        (string Model, double Share)[] Models);
}
