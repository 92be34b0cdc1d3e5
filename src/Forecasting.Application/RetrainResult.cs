namespace Forecasting.Application;

/// <summary>
/// A retrain's answer: the training (and whether it promoted), or why none ran: the stored usage is the
/// same as when <see cref="SameDataAs"/> was trained.
/// </summary>
public sealed record RetrainResult(TrainResult? Trained, string? SameDataAs, string? Skipped)
{
    public bool IsSkipped => Trained is null;

    /// <summary>The version registered by this retrain, or the existing version whose data is unchanged.</summary>
    public string? Version => Trained?.Outcome.Manifest.Version ?? SameDataAs;
}
