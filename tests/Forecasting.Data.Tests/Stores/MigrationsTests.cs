using Forecasting.Data.Stores;

namespace Forecasting.Data.Tests.Stores;

/// <summary>The schema steps of both engines: versions from 1 up without gaps, so a database at version n applies exactly the steps after n.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void PostgresStepsAreNumberedFromOneWithoutGaps() =>
        Assert.Equal(Enumerable.Range(1, PostgresMigrations.All.Length), PostgresMigrations.All.Select(m => m.Version));

    [Fact]
    public void SqliteStepsAreNumberedFromOneWithoutGaps() =>
        Assert.Equal(Enumerable.Range(1, SqliteMigrations.All.Length), SqliteMigrations.All.Select(m => m.Version));

    [Fact]
    public void EveryStepSaysWhatItDoes() =>
        Assert.All(PostgresMigrations.All.Concat(SqliteMigrations.All), m => Assert.False(string.IsNullOrWhiteSpace(m.Description) || string.IsNullOrWhiteSpace(m.Sql)));
}
