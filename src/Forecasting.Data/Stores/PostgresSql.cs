using Npgsql;

namespace Forecasting.Data.Stores;

/// <summary>Runs one statement without parameters on an open PostgreSQL connection (schema steps, staging tables).</summary>
internal static class PostgresSql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
