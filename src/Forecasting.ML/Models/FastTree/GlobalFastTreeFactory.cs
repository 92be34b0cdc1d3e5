using Forecasting.Core.Features;
using Forecasting.Core.Forecasting;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Forecasting.ML.Models.FastTree;

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

    public string Name => ModelId.FastTree.ToString();

    public FastTreeOptions Options => options;

    public IReadOnlyList<IForecaster> FitAll(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var model = Train(histories, cancellationToken);
        return [.. histories.Select(h => (IForecaster)model.Bind(h))];
    }

    /// <summary>
    /// The model an earlier origin trained, bound to these histories (a global model forecasts any series); trained anew
    /// when there is none, or when it could not train then (too little history). Between two retrains production serves exactly this: the last model on the newest data.
    /// </summary>
    public IReadOnlyList<IForecaster> Refresh(IReadOnlyList<SeriesHistory> histories, IReadOnlyList<IForecaster?> earlier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(earlier);
        // An earlier model that had too little history to train (every series on its seasonal-median fallback) is not
        // kept: a young relay's model is trained again as soon as the history allows it.
        var refreshed = earlier.OfType<IRefreshable>().FirstOrDefault() is { } trained ? histories.Select(trained.Refresh).ToList() : null;
        return refreshed is not null && refreshed.All(f => f is not null) ? refreshed! : FitAll(histories, cancellationToken);
    }

    public GlobalFastTreeModel Train(IReadOnlyList<SeriesHistory> histories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var pipeline = new FeaturePipeline(options.Features);
        var prepared = histories.Select(h => PreparedSeries.From(h, options.LogTarget)).ToList();
        var usable = prepared.Where(p => p.Values.Length > pipeline.MinHistory + 24).ToList();
        // Candidate rows: each series' most recent MaxRowsPerSeries hours; beyond MaxRows a stratified sample of
        // them. Only the sampled rows are built (one feature row at a time), so memory follows the budget, not the series.
        var candidates = usable.Select(s => new TrainingSample.Candidate(Math.Max(pipeline.MinHistory, s.Values.Length - options.MaxRowsPerSeries), s.Values.Length, s.Scale)).ToList();
        var hours = TrainingSample.Pick(candidates, options.MaxRows, options.Seed);
        var rows = new FeatureRow[hours.Sum(h => h.Length)];
        var offsets = new int[usable.Count];
        for (var i = 1; i < usable.Count; i++)
        {
            offsets[i] = offsets[i - 1] + hours[i - 1].Length;
        }

        // Each series fills its own slice of the rows: the result does not depend on the threads' timing.
        Parallel.For(0, usable.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var series = usable[i];
            var calendar = pipeline.CalendarOf(series.Series);
            for (var k = 0; k < hours[i].Length; k++)
            {
                var t = hours[i][k];
                var features = new float[pipeline.Count];
                pipeline.Update(series.Values.AsSpan(0, t), series.Start?.AddHours(t), features, calendar);
                var level = LocalLevel.Normalize(pipeline, options, features);
                rows[offsets[i] + k] = new FeatureRow { Features = features, Label = (float)(series.Values[t] / level) };
            }
        });

        var ml = new MLContext(options.Seed);
        if (rows.Length < 100)
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
        return new GlobalFastTreeModel(ml, transformer, pipeline, options) { TrainingRows = rows.Length };
    }
}
