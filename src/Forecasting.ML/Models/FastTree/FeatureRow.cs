namespace Forecasting.ML.Models.FastTree;

/// <summary>One training or scoring row: the pipeline's features and the scaled value they predict.</summary>
internal sealed class FeatureRow
{
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}
