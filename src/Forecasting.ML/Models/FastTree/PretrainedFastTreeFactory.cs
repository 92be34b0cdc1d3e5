using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models.FastTree;

/// <summary>Serves a global model loaded from the registry: binding to each series, no training.</summary>
public sealed class PretrainedFastTreeFactory(GlobalFastTreeModel model) : IForecasterFactory
{
    public string Name => ModelId.FastTree.ToString();

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        return [.. histories.Select(model.Bind)];
    }
}
