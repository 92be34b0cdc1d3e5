using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Selection;

/// <summary>
/// A weighted mean of a few models' forecasts, with weights from their backtest errors. Its <see cref="Name"/>
/// (<c>combination(fasttree 0.41; smedian 0.33; ensemble 0.26)</c>) is what a manifest's selection stores, so the
/// predictor serves exactly the combination the backtest chose.
/// </summary>
public sealed record WeightedCombination(IReadOnlyList<string> Models, IReadOnlyList<double> Weights)
{
    /// <summary>How many of the best single models are combined.</summary>
    public const int Size = 3;

    /// <summary>Share of each weight that is equal (1 / size): error-based weights from a few origins are noisy.</summary>
    public const double Shrinkage = 0.5;

    /// <summary>The combination's identity: its models and weights.</summary>
    public ModelId Id => ModelId.Combination([.. Models.Select((m, i) => new ModelWeight(m, Weights[i]))]);

    public string Name => Id.ToString();

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

    /// <summary>The combination a name (<see cref="Name"/>) stands for; false for any other model's name.</summary>
    public static bool TryParse(string name, out WeightedCombination? combination)
    {
        combination = null;
        if (string.IsNullOrEmpty(name) || ModelId.Parse(name) is not { Kind: ModelKind.Combination, Parts.Count: > 0 } id)
        {
            return false;
        }

        combination = new WeightedCombination([.. id.Parts.Select(p => p.Model)], [.. id.Parts.Select(p => p.Weight)]);
        return true;
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
