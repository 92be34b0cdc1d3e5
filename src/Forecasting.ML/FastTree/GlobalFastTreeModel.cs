using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Forecasting.ML.FastTree;

/// <summary>A trained global FastTree model; <see cref="Bind"/> gives the forecaster of one series.</summary>
public sealed class GlobalFastTreeModel
{
    private readonly MLContext _ml;
    private readonly ITransformer? _transformer;
    private readonly FeaturePipeline _pipeline;
    private readonly SchemaDefinition _schema;
    private readonly Lock _engines = new();

    internal GlobalFastTreeModel(MLContext ml, ITransformer? transformer, FeaturePipeline pipeline, FastTreeOptions options)
    {
        _ml = ml;
        _transformer = transformer;
        _pipeline = pipeline;
        Options = options;
        _schema = SchemaDefinition.Create(typeof(FeatureRow));
        _schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, pipeline.Count);
    }

    public FastTreeOptions Options { get; }

    public FeaturePipeline Pipeline => _pipeline;

    public bool IsTrained => _transformer is not null;

    /// <summary>Rows the model was trained on (0 when loaded from the registry or not trained).</summary>
    public int TrainingRows { get; init; }

    public IForecaster Bind(SeriesHistory history) => new Forecaster(this, history);

    /// <summary>Saves the ML.NET model (a zip) for the registry.</summary>
    public void Save(string path)
    {
        if (_transformer is null)
        {
            throw new InvalidOperationException("the model was not trained (too little history)");
        }

        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), _schema).Schema;
        _ml.Model.Save(_transformer, schema, path);
    }

    public static GlobalFastTreeModel Load(string path, FastTreeOptions options)
    {
        var ml = new MLContext(options.Seed);
        var transformer = ml.Model.Load(path, out _);
        return new GlobalFastTreeModel(ml, transformer, new FeaturePipeline(options.Features), options);
    }

    // Series are forecast in parallel, each with its own engine; the shared context makes them one at a time.
    private PredictionEngine<FeatureRow, FeaturePrediction> CreateEngine()
    {
        lock (_engines)
        {
            return _ml.Model.CreatePredictionEngine<FeatureRow, FeaturePrediction>(_transformer!, inputSchemaDefinition: _schema);
        }
    }

    private sealed class Forecaster(GlobalFastTreeModel model, SeriesHistory history) : IForecaster, IRefreshable
    {
        private SeriesHistory _history = history;

        public string Name => "fasttree";

        /// <summary>The same trained model on another history: it is global, so any series' history fits it.</summary>
        public IForecaster Refresh(SeriesHistory history) => new Forecaster(model, history);

        public void Fit(ReadOnlySpan<double> values) => _history = _history with { Values = values.ToArray() };

        public double[] Predict(int horizon)
        {
            var prepared = PreparedSeries.From(_history, model.Options.LogTarget);
            if (model._transformer is null || prepared.Values.Length < model._pipeline.MinHistory)
            {
                // Weekly when there is a week of history, else whole days of it (hours of the day stay aligned).
                var fallback = new SeasonalMedian(168);
                fallback.Fit(_history.Values.Span);
                return fallback.Predict(horizon);
            }

            var engine = model.CreateEngine();
            var extended = new double[prepared.Values.Length + horizon];
            prepared.Values.CopyTo(extended, 0);
            var row = new FeatureRow { Features = new float[model._pipeline.Count] };
            // The same calendar (zone, holidays) of the same series as in training: the model's own options.
            var calendar = model._pipeline.CalendarOf(_history.Series);
            var result = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                var t = prepared.Values.Length + h;
                model._pipeline.Update(extended.AsSpan(0, t), prepared.Start?.AddHours(t), row.Features, calendar);
                var level = LocalLevel.Normalize(model._pipeline, model.Options, row.Features);
                extended[t] = Math.Max(0, engine.Predict(row).Score * level);
                result[h] = prepared.Restore(extended[t]);
            }

            return result;
        }
    }
}
