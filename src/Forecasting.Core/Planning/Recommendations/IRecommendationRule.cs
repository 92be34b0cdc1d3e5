namespace Forecasting.Core.Planning.Recommendations;

/// <summary>
/// One kind of recommendation: reads the plan's context (forecast, costs, recent usage, settings) and says what to do.
/// A new recommendation is one class implementing this, listed once in <see cref="Planner"/> (the list's order is the plan's).
/// </summary>
internal interface IRecommendationRule
{
    /// <summary>This kind's recommendations for the plan, in the order the plan shows them.</summary>
    IEnumerable<Recommendation> Recommend(PlanContext context);
}
