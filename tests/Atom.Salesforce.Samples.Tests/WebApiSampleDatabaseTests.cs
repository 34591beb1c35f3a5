using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Tool;
using Npgsql;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web API sample with <c>DB_*</c> set, started as its own process on a database created for the test: the migrations
/// run before the development user's token is stored, and a request works with the token read back from PostgreSQL.
/// </summary>
public sealed class WebApiSampleDatabaseTests
{
    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    private static string SampleDll => Path.Combine(
        ToolProcess.RepositoryRoot, "samples", "Atom.Salesforce.Samples.WebApi", "bin", ToolProcess.Configuration, "net10.0", "Atom.Salesforce.Samples.WebApi.dll");

    [Fact]
    public async Task With_DB_set_it_starts_on_an_empty_database_and_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString);
        var database = "atom_sample_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE {database}"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

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
                ["Salesforce__TokenStore__Encryption__Keys__k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
            };
            using var sample = ToolProcess.Start(ToolProcess.DotnetHost, [SampleDll, "--urls", $"http://127.0.0.1:{port}"], Path.GetDirectoryName(SampleDll), environment);
            await sample.WaitForLineAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90), ct);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var accounts = await http.PostAsJsonAsync("/api/salesforce/enhanced/accounts/list", new { limit = 2 }, ct);
            var body = await accounts.Content.ReadAsStringAsync(ct);
            Assert.True(accounts.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("count").GetInt32());

            // The token the request used is the one stored in the new database (encrypted), and the store answers.
            var health = await http.GetFromJsonAsync<JsonElement>("/api/salesforce/enhanced/health", ct);
            Assert.Equal("ok", health.GetProperty("data").GetProperty("database").GetProperty("status").GetString());
            Assert.Equal("valid", health.GetProperty("data").GetProperty("token").GetProperty("status").GetString());
            await using var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = false }.ConnectionString);
            await using var count = data.CreateCommand("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'stored'");
            Assert.True((long)(await count.ExecuteScalarAsync(ct))! >= 1);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = NpgsqlDataSource.Create(ServerConnectionString);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
