using Forecasting.Core.Forecasting;

namespace Forecasting.ML.Models;

/// <summary>
/// The mean of its members' forecasts (weighted when <paramref name="weights"/> are given, one per member):
/// errors of unlike models partly cancel.
/// </summary>
public sealed class EnsembleFactory(IReadOnlyList<IForecasterFactory> members, string name = "ensemble", IReadOnlyList<double>? weights = null) : IForecasterFactory
{
    /// <summary>One of the engine's ensembles, named by its identity.</summary>
    public EnsembleFactory(IReadOnlyList<IForecasterFactory> members, ModelId id, IReadOnlyList<double>? weights = null)
        : this(members, id?.ToString() ?? throw new ArgumentNullException(nameof(id)), weights)
    {
    }

    public string Name => name;

    public IReadOnlyList<IForecasterFactory> Members => members;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var fitted = members.Select(m => m.FitAll(histories, cancellationToken)).ToList();
        return [.. Enumerable.Range(0, histories.Count).Select(i => (IForecaster)new Mean(name, [.. fitted.Select(f => f[i])], weights))];
    }

    private sealed class Mean(string name, IForecaster[] parts, IReadOnlyList<double>? weights) : IForecaster
    {
        public string Name => name;

        public void Fit(ReadOnlySpan<double> history)
        {
            foreach (var part in parts)
            {
                part.Fit(history);
            }
        }

        public double[] Predict(int horizon)
        {
            var result = new double[horizon];
            for (var i = 0; i < parts.Length; i++)
            {
                var p = parts[i].Predict(horizon);
                for (var h = 0; h < horizon; h++)
                {
                    result[h] += weights is null ? p[h] / parts.Length : weights[i] * p[h];
                }
            }

            return result;
        }
    }
}
