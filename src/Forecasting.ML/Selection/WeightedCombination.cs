using System.Globalization;

namespace Forecasting.ML.Selection;

/// <summary>
/// A weighted mean of a few models' forecasts, with weights from their backtest errors. Its <see cref="Name"/>
/// (<c>combination(fasttree 0.41; smedian 0.33; ensemble 0.26)</c>) is what a manifest's selection stores, so the
/// predictor serves exactly the combination the backtest chose.
/// </summary>
public sealed record WeightedCombination(IReadOnlyList<string> Models, IReadOnlyList<double> Weights)
{
    public const string Prefix = "combination(";

    /// <summary>How many of the best single models are combined.</summary>
    public const int Size = 3;

    /// <summary>Share of each weight that is equal (1 / size): error-based weights from a few origins are noisy.</summary>
    public const double Shrinkage = 0.5;

    public string Name => Prefix + string.Join("; ", Models.Select((m, i) => $"{m} {Weights[i].ToString("0.####", CultureInfo.InvariantCulture)}")) + ")";

    /// <summary>
    /// The best <see cref="Size"/> models by error (lowest first), weighted by inverse error and shrunk toward equal weights.
    /// </summary>
    public static WeightedCombination FromErrors(IReadOnlyDictionary<string, double> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var best = errors.Where(e => double.IsFinite(e.Value)).OrderBy(e => e.Value).Take(Size).ToList();
        var inverse = best.Select(e => 1 / Math.Max(e.Value, 1e-12)).ToList();
        var total = inverse.Sum();
        var weights = inverse.Select(w => ((1 - Shrinkage) * w / total) + (Shrinkage / best.Count)).ToList();
        // Rounded as the name stores them, so the backtest and the predictor combine with the same numbers.
        var rounded = weights.Select(w => Math.Round(w, 4)).ToList();
        return new WeightedCombination([.. best.Select(e => e.Key)], rounded);
    }

    public static bool TryParse(string name, out WeightedCombination? combination)
    {
        combination = null;
        if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(')'))
        {
            return false;
        }

        var models = new List<string>();
        var weights = new List<double>();
        foreach (var part in name[Prefix.Length..^1].Split("; "))
        {
            var space = part.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(part[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                return false;
            }

            models.Add(part[..space]);
            weights.Add(weight);
        }

        combination = new WeightedCombination(models, weights);
        return models.Count > 0;
    }

    /// <summary>The combined forecast of one hour from each model's forecast of it.</summary>
    public double Combine(Func<string, double> forecastOf)
    {
        ArgumentNullException.ThrowIfNull(forecastOf);
        double sum = 0;
        for (var i = 0; i < Models.Count; i++)
        {
            sum += Weights[i] * forecastOf(Models[i]);
        }

        return sum;
    }
}
