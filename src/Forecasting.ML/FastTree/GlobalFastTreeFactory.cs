using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Forecasting.ML.FastTree;

/// <summary>
/// One FastTree regression model learned from all series at once. Each series is divided by its
/// level (mean of its last week), so one model fits series of any size; features come from the
/// shared <see cref="FeaturePipeline"/>; forecasts are recursive, feeding each predicted hour back
/// through the pipeline's one-step update, so training and forecasting use the same feature code.
/// </summary>
public sealed class GlobalFastTreeFactory(FastTreeOptions options) : IForecasterFactory
{
    public GlobalFastTreeFactory()
        : this(new FastTreeOptions())
    {
    }

    public string Name => "fasttree";

    public FastTreeOptions Options => options;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var model = Train(histories, cancellationToken);
        return [.. histories.Select(h => (IForecaster)model.Bind(h))];
    }

    public GlobalFastTreeModel Train(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var pipeline = new FeaturePipeline(options.Features);
        var prepared = histories.Select(h => PreparedSeries.From(h, options.LogTarget)).ToList();
        var usable = prepared.Where(p => p.Values.Length > pipeline.MinHistory + 24).ToList();
        var perSeries = usable.Count == 0 ? 0 : Math.Min(options.MaxRowsPerSeries, options.MaxRows / usable.Count);
        var rows = new List<FeatureRow>();
        foreach (var series in usable)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = Math.Max(pipeline.MinHistory, series.Values.Length - perSeries);
            var features = pipeline.Transform(series.Values, series.Start, from, pipeline.CalendarOf(series.Series));
            for (var i = 0; i < features.Length; i++)
            {
                var level = LocalLevel.Normalize(pipeline, options, features[i]);
                rows.Add(new FeatureRow { Features = features[i], Label = (float)(series.Values[from + i] / level) });
            }
        }

        var ml = new MLContext(options.Seed);
        if (rows.Count < 100)
        {
            // Too little history for a tree model: every series falls back to its seasonal median.
            return new GlobalFastTreeModel(ml, null, pipeline, options);
        }

        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, pipeline.Count);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfTrees = options.NumberOfTrees,
            NumberOfLeaves = options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
            LearningRate = options.LearningRate,
            FeatureColumnName = nameof(FeatureRow.Features),
            LabelColumnName = nameof(FeatureRow.Label),
            NumberOfThreads = Environment.ProcessorCount,
        });
        var transformer = trainer.Fit(data);
        return new GlobalFastTreeModel(ml, transformer, pipeline, options);
    }
}
