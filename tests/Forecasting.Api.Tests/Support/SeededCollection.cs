namespace Forecasting.Api.Tests.Support;

/// <summary>Test classes sharing one seeded store and trained registry.</summary>
[CollectionDefinition(Name)]
public sealed class SeededCollection : ICollectionFixture<SeededService>
{
    public const string Name = "seeded service";
}
