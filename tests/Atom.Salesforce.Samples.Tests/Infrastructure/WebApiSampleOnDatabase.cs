using Atom.Salesforce.Emulator.Tests.Tool;
using Npgsql;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web API sample with <c>DB_*</c> set, started as its own process (on a free loopback port) on a database created for
/// the test, with a fresh token-encryption key; disposing it stops the process and drops the database.
/// </summary>
internal sealed class WebApiSampleOnDatabase : IAsyncDisposable
{
    private readonly ToolProcess? _process;
    private readonly HttpClient? _http;

    private WebApiSampleOnDatabase(string database, ToolProcess? process, HttpClient? http)
    {
        Database = database;
        _process = process;
        _http = http;
    }

    /// <summary>The database created for the test.</summary>
    public string Database { get; }

    /// <summary>A client for the sample's address.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The sample did not start.");

    /// <summary>The sample's standard error so far, for a failure message.</summary>
    public string Errors => _process?.Errors ?? string.Empty;

    /// <summary>The test database's connection string (no pooling, so that dropping it finds no idle connection).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Database, Pooling = false }.ConnectionString;

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    private static string SampleDll => Path.Combine(
        ToolProcess.RepositoryRoot, "samples", "Atom.Salesforce.Samples.WebApi", "bin", ToolProcess.Configuration, "net10.0", "Atom.Salesforce.Samples.WebApi.dll");

    /// <summary>Creates a database named <paramref name="databasePrefix"/> and a new guid, and starts the sample on it (Development environment).</summary>
    /// <param name="databasePrefix">The database name's start, for example <c>atom_sample_</c>.</param>
    /// <param name="settings">More environment variables (configuration) for the sample.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<WebApiSampleOnDatabase> StartAsync(
        string databasePrefix, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        var database = databasePrefix + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        ToolProcess? sample = null;
        try
        {
            var port = ToolProcess.FreePort();
            var environment = new Dictionary<string, string?>
            {
                ["DB_HOST"] = server.Host,
                ["DB_PORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DB_NAME"] = database,
                ["DB_USER"] = server.Username,
                ["DB_PASSWORD"] = server.Password,
                ["Salesforce__TokenStore__Encryption__CurrentKeyId"] = "k1",
                ["Salesforce__TokenStore__Encryption__Keys__k1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            {
                environment[name] = value;
            }

            sample = ToolProcess.Start(ToolProcess.DotnetHost, [SampleDll, "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(SampleDll), environment);
            await sample.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90), cancellationToken);
            return new WebApiSampleOnDatabase(database, sample, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
        }
        catch
        {
            await new WebApiSampleOnDatabase(database, sample, null).DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        _process?.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
