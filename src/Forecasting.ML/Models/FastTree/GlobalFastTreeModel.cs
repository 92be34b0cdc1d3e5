using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Forecasting.ML.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Forecasting.ML.Models.FastTree;

/// <summary>A trained global FastTree model; <see cref="Bind"/> gives the forecaster of one series.</summary>
public sealed class GlobalFastTreeModel
{
    private readonly MLContext _ml;
    private readonly ITransformer? _transformer;
    private readonly FeaturePipeline _pipeline;
    private readonly SchemaDefinition _schema;
    private readonly Lock _engines = new();
    private readonly CompiledTrees? _trees;

    internal GlobalFastTreeModel(MLContext ml, ITransformer? transformer, FeaturePipeline pipeline, FastTreeOptions options)
    {
        _ml = ml;
        _transformer = transformer;
        _pipeline = pipeline;
        Options = options;
        _schema = SchemaDefinition.Create(typeof(FeatureRow));
        _schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, pipeline.Count);
        _trees = CompiledTrees.From(transformer);
    }

    public FastTreeOptions Options { get; }

    public FeaturePipeline Pipeline => _pipeline;

    public bool IsTrained => _transformer is not null;

    /// <summary>Rows the model was trained on (0 when loaded from the registry or not trained).</summary>
    public int TrainingRows { get; init; }

    public IForecaster Bind(SeriesHistory history) => new Forecaster(this, history);

    /// <summary>Whether forecasts walk the trees directly (a FastTree regression, as trained here) rather than through ML.NET's engine.</summary>
    internal bool EvaluatesTreesDirectly => _trees is not null;

    /// <summary>One feature row's score, by the direct tree walk and by ML.NET's prediction engine: for the test that they agree.</summary>
    internal (float Direct, float Engine) ScoreBothWays(float[] features) =>
        (_trees?.Score(features) ?? float.NaN, CreateEngine().Predict(new FeatureRow { Features = features }).Score);

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

        public string Name => ModelId.FastTree.ToString();

        /// <summary>
        /// The same trained model on another history (it is global, so any series' history fits it); null when the model
        /// had too little history to train, so that it is trained again on the newer history.
        /// </summary>
        public IForecaster? Refresh(SeriesHistory history) => model.IsTrained ? new Forecaster(model, history) : null;

        public void Fit(ReadOnlySpan<double> values) => _history = _history with { Values = values.ToArray() };

        public double[] Predict(int horizon)
        {
            var prepared = PreparedSeries.From(_history, model.Options.LogTarget);
            if (model._transformer is null || prepared.Values.Length < model._pipeline.MinHistory)
            {
                // Weekly when there is a week of history, else whole days of it (hours of the day stay aligned).
                var fallback = new SeasonalMedian(Horizon.HoursPerWeek);
                fallback.Fit(_history.Values.Span);
                return fallback.Predict(horizon);
            }

            // The trees evaluated directly where the model is a plain FastTree (always, for models this product trains):
            // the same score as ML.NET's prediction engine (tested), without its per-row overhead.
            var engine = model._trees is null ? model.CreateEngine() : null;
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
                var score = model._trees?.Score(row.Features) ?? engine!.Predict(row).Score;
                extended[t] = Math.Max(0, score * level);
                result[h] = prepared.Restore(extended[t]);
            }

            return result;
        }
    }

    /// <summary>
    /// The tree ensemble as flat arrays: each tree walked from its root (left when the feature is at most the threshold,
    /// as FastTree's trees are defined), the leaves' values weighted and summed with the bias.
    /// </summary>
    private sealed class CompiledTrees
    {
        private readonly int[][] _feature;
        private readonly float[][] _threshold;
        private readonly int[][] _left;
        private readonly int[][] _right;
        private readonly double[][] _leaf;
        private readonly double[] _weight;
        private readonly double _bias;

        private CompiledTrees(RegressionTreeEnsemble ensemble)
        {
            var trees = ensemble.Trees;
            _feature = [.. trees.Select(t => t.NumericalSplitFeatureIndexes.ToArray())];
            _threshold = [.. trees.Select(t => t.NumericalSplitThresholds.ToArray())];
            _left = [.. trees.Select(t => t.LeftChild.ToArray())];
            _right = [.. trees.Select(t => t.RightChild.ToArray())];
            _leaf = [.. trees.Select(t => t.LeafValues.ToArray())];
            _weight = [.. ensemble.TreeWeights];
            _bias = ensemble.Bias;
        }

        /// <summary>The trees of a trained or loaded FastTree regression; null for anything else (the engine serves it).</summary>
        public static CompiledTrees? From(ITransformer? transformer)
        {
            var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
            return last is RegressionPredictionTransformer<FastTreeRegressionModelParameters> fastTree
                && fastTree.Model.TrainedTreeEnsemble is { } ensemble
                && ensemble.Trees.All(t => !t.CategoricalSplitFlags.Any(c => c))
                ? new CompiledTrees(ensemble)
                : null;
        }

        public float Score(float[] features)
        {
            double sum = 0;
            for (var t = 0; t < _leaf.Length; t++)
            {
                var node = 0;
                var feature = _feature[t];
                var threshold = _threshold[t];
                var left = _left[t];
                var right = _right[t];
                // A single-leaf tree has no split: its root is leaf 0.
                if (feature.Length == 0)
                {
                    node = ~0;
                }

                while (node >= 0)
                {
                    node = features[feature[node]] <= threshold[node] ? left[node] : right[node];
                }

                sum += _weight[t] * _leaf[t][~node];
            }

            return (float)(sum + _bias);
        }
    }
}
