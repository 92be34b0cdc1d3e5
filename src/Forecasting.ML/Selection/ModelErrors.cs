namespace Forecasting.ML.Selection;

/// <summary>Running sums of scaled absolute errors per series and model; hours come in runs of one series and model.</summary>
internal sealed class ModelErrors
{
    private readonly Dictionary<(string Series, string Model), (double Sum, int Count)> _sums = [];
    private (string Series, string Model)? _current;
    private double _runSum;
    private int _runCount;

    public void Add(string series, string model, double actual, double forecast, double scale)
    {
        if (double.IsNaN(actual))
        {
            return;
        }

        if (_current is not { } key || !ReferenceEquals(key.Series, series) || !ReferenceEquals(key.Model, model))
        {
            Flush();
            _current = (series, model);
            // Registered at its first hour so the first seen keeps winning ties.
            _sums.TryAdd(_current.Value, (0, 0));
        }

        _runSum += Math.Abs(actual - forecast) / scale;
        _runCount++;
    }

    /// <summary>Per series, the model with the lowest mean; the first seen wins a tie, as MinBy does in encounter order.</summary>
    public Dictionary<string, string> Best()
    {
        Flush();
        return _sums.Where(e => e.Value.Count > 0)
            .Select(e => (e.Key.Series, e.Key.Model, Mae: e.Value.Sum / e.Value.Count))
            .GroupBy(x => x.Series)
            .ToDictionary(g => g.Key, g => g.MinBy(x => x.Mae).Model);
    }

    private void Flush()
    {
        if (_current is { } key && _runCount > 0)
        {
            var (sum, count) = _sums[key];
            _sums[key] = (sum + _runSum, count + _runCount);
        }

        _runSum = 0;
        _runCount = 0;
    }
}
