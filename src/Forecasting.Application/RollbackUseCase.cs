using Forecasting.Core;
using Forecasting.Core.Forecasting;
using Forecasting.Core.Series;
using Forecasting.ML.Registry;

namespace Forecasting.Application;

/// <summary>
/// Make an earlier version the champion of a target, then forecast from it at once, so what is served
/// is the rolled-back champion's forecast, not the one rolled back from (when usage is stored).
/// </summary>
public sealed class RollbackUseCase(IWorkspaceSource workspaces, ForecastUseCase forecasts)
{
    public async Task<RollbackResult> RunAsync(ForecastTarget target, string? version, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.GetAsync(cancellationToken);
        var registry = workspace.Registry;
        var name = ModelRegistry.NameOf(target);
        var current = registry.Champion(name)?.Version;
        var to = version
            ?? registry.List(name).Select(m => m.Version).LastOrDefault(v => current is null || string.CompareOrdinal(v, current) < 0)
            ?? throw new InvalidInputException($"{name} has no version before {current ?? "(none)"} to roll back to");
        registry.SetChampion(name, to, $"rollback from {current ?? "none"}", workspace.Time.GetUtcNow());
        var forecast = await forecasts.RunAsync(target, Horizon.Default, cancellationToken);
        return new RollbackResult(name, current, to, forecast.Value?.Run, forecast.Problem);
    }
}
