namespace Forecasting.ML.Selection;

/// <summary>
/// Each series' served model (a model's name or a <see cref="WeightedCombination.Name"/>), and the combinations among them.
/// </summary>
public sealed record ModelSelection(IReadOnlyDictionary<string, string> Names, IReadOnlyDictionary<string, WeightedCombination> Combinations);
