using Npgsql;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// The PostgreSQL that ./build.sh test provides (ATOM_TEST_PG) is a real server the token store's tests can use.
/// </summary>
public sealed class PostgresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    [Fact]
    public async Task The_test_server_is_a_real_PostgreSQL_that_keeps_what_is_written()
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await source.OpenConnectionAsync(Ct);
        var table = "probe_" + Guid.NewGuid().ToString("N");

        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {table} (id int PRIMARY KEY, note text NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }

        await using (var insert = new NpgsqlCommand($"INSERT INTO {table} VALUES (1, 'kept')", connection))
        {
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using var read = new NpgsqlCommand($"SELECT note, current_setting('server_version_num')::int FROM {table} WHERE id = 1", connection);
        await using var reader = await read.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal("kept", reader.GetString(0));
        Assert.True(reader.GetInt32(1) >= 130000, "PostgreSQL 13 or later expected");
    }
}
