using Forecasting.Core.Usage;

namespace Forecasting.Testing;

/// <summary>Builds usage rows for tests.</summary>
public static class Rows
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static HourlyUsage Make(int hour, string model = "gpt-4.1", string project = "tutor", long input = 1000, long output = 200, long requests = 3) =>
        new()
        {
            Hour = T0.AddHours(hour),
            Model = model,
            Project = project,
            InputTokens = input,
            OutputTokens = output,
            Requests = requests,
        };

    /// <summary>hours × models × projects rows with values derived from the position.</summary>
    public static List<HourlyUsage> Grid(int hours, string[] models, string[] projects, int seed = 1)
    {
        var random = new Random(seed);
        var rows = new List<HourlyUsage>();
        for (var h = 0; h < hours; h++)
        {
            foreach (var project in projects)
            {
                foreach (var model in models)
                {
                    var input = random.Next(1, 5_000_000);
                    rows.Add(new HourlyUsage
                    {
                        Hour = T0.AddHours(h),
                        Model = model,
                        Project = project,
                        InputTokens = input,
                        OutputTokens = random.Next(0, 1_000_000),
                        Requests = random.Next(1, 5_000),
                        CachedInputTokens = h % 3 == 0 ? null : random.Next(0, input),
                        CostUsd = h % 4 == 0 ? null : Math.Round(random.NextDouble() * 10, 6),
                        LatencyMsP50 = h % 5 == 0 ? null : random.Next(100, 2000),
                        LatencyMsP95 = h % 5 == 0 ? null : random.Next(2000, 9000),
                        Errors = h % 2 == 0 ? null : random.Next(0, 10),
                    });
                }
            }
        }

        return rows;
    }
}
