using Forecasting.Data.Collect;

namespace Forecasting.Application;

/// <summary>One configured source's collection: what it stored, or why it failed (the others went on).</summary>
public sealed record SourceResult(string Name, CollectOutcome? Outcome, string? Error)
{
    public bool Succeeded => Outcome is not null;
}
