namespace Forecasting.Core.Planning;

public enum RecommendationKind
{
    Capacity,
    Budget,
    Cost,
    RateLimit,
    Anomaly,
    ModelHealth,
}
