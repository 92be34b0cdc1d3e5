namespace Forecasting.Application.Tests;

[CollectionDefinition(Name)]
public sealed class TrainedCollection : ICollectionFixture<TrainedWorkspace>
{
    public const string Name = "trained workspace";
}
