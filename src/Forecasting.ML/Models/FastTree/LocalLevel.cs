using Forecasting.Core.Features;

namespace Forecasting.ML.Models.FastTree;

/// <summary>The per-row level normalisation shared by training and forecasting.</summary>
internal static class LocalLevel
{
    // Series are already divided by their weekly mean (~1), so this keeps quiet night hours from dividing by ~0.
    private const float Floor = 0.1f;

    /// <summary>Divides the row's value features by its level in place and returns the level (1 when off).</summary>
    public static double Normalize(FeaturePipeline pipeline, FastTreeOptions options, float[] row)
    {
        if (!options.LocalNormalization)
        {
            return 1;
        }

        var index = IndexOfLevel(pipeline);
        var level = Math.Max(row[index], 0) + Floor;
        for (var i = 0; i < pipeline.ValueFeatureCount; i++)
        {
            row[i] /= level;
        }

        return level;
    }

    private static int IndexOfLevel(FeaturePipeline pipeline)
    {
        for (var i = 0; i < pipeline.Names.Count; i++)
        {
            if (pipeline.Names[i] == "mean_24")
            {
                return i;
            }
        }

        throw new InvalidOperationException("local normalisation needs the 24-hour rolling mean among the features");
    }
}
