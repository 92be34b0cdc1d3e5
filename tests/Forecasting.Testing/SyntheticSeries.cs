namespace Forecasting.Testing;

/// <summary>Seeded hourly traffic with daily and weekly seasonality, the shape of LLM usage.</summary>
public static class SyntheticSeries
{
    public const int Day = 24;
    public const int Week = 168;

    public static double Seasonal(int t, double level = 100) =>
        level
        + (30 * Math.Sin(2 * Math.PI * t / Day))
        + (15 * Math.Sin((2 * Math.PI * t / Week) + 0.7));

    /// <summary>Seasonal level plus Gaussian noise of standard deviation <paramref name="noise"/>.</summary>
    public static double[] Traffic(int length, double noise, int seed, double level = 100)
    {
        var random = new Random(seed);
        var y = new double[length];
        for (var t = 0; t < length; t++)
        {
            y[t] = Seasonal(t, level) + (noise * Gaussian(random));
        }

        return y;
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller: 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
