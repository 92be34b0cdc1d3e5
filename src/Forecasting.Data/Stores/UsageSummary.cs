namespace Forecasting.Data.Stores;

/// <summary>What a store holds, in a few numbers.</summary>
public sealed record UsageSummary(
    long Rows,
    DateTimeOffset? FirstHour,
    DateTimeOffset? LastHour,
    int Models,
    int Projects,
    long InputTokens,
    long OutputTokens,
    long Requests,
    double? CostUsd);
