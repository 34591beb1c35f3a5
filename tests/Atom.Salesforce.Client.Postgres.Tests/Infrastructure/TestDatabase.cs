using Npgsql;

namespace Atom.Salesforce.Client.Postgres.Tests.Infrastructure;

/// <summary>
/// A fresh schema in the test server (ATOM_TEST_PG, set by ./build.sh test) for one test: the store's tables are created in
/// it through the connection's search path, and it is dropped afterwards.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string schema, string connectionString)
    {
        Schema = schema;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    public string Schema { get; }

    /// <summary>The connection string of the schema, with a password the trust-authenticated test server ignores.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source for the test's own checks on the raw tables.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            SearchPath = schema,
            Password = Secrets.DatabasePassword,
            MaxPoolSize = 10,
        };
        return new TestDatabase(schema, builder.ConnectionString);
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// XORs byte <paramref name="offset"/> of the binary value inside an encrypted text column with <paramref name="mask"/>
    /// (offset 0 is the format version, 1-12 the nonce, 13-28 the tag, then the ciphertext), in every row or one user's.
    /// </summary>
    public async Task TamperAsync(string column, int offset, int mask, string? userId = null)
    {
        foreach (var row in await RowsAsync($"SELECT id, {column} FROM salesforce_oauth_tokens" + (userId is null ? "" : " WHERE user_id = $1"), userId is null ? [] : [userId]))
        {
            Assert.True(Atom.Salesforce.Client.Postgres.Encryption.TokenCipher.TryParseText((string)row[1]!, out var keyId, out var value));
            value[offset] ^= (byte)mask;
            await ExecuteAsync($"UPDATE salesforce_oauth_tokens SET {column} = $1 WHERE id = $2", Atom.Salesforce.Client.Postgres.Encryption.TokenCipher.ToText(keyId, value), row[0]!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
