using Microsoft.ML.Data;

namespace Forecasting.ML.Models.FastTree;

internal sealed class FeaturePrediction
{
    [ColumnName("Score")]
    public float Score { get; set; }
}
