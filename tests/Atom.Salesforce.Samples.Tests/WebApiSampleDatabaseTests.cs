using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web API sample with <c>DB_*</c> set, started as its own process on a database created for the test: the migrations
/// run before the development user's token is stored, and a request works with the token read back from PostgreSQL.
/// </summary>
public sealed class WebApiSampleDatabaseTests
{
    [Fact]
    public async Task With_DB_set_it_starts_on_an_empty_database_and_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sample = await WebApiSampleOnDatabase.StartAsync("atom_sample_", cancellationToken: ct);

        using var accounts = await sample.Http.PostAsJsonAsync("/api/salesforce/enhanced/accounts/list", new { limit = 2 }, ct);
        var body = await accounts.Content.ReadAsStringAsync(ct);
        Assert.True(accounts.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(2, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("count").GetInt32());

        // The token the request used is the one stored in the new database (encrypted), and the store answers.
        var health = await sample.Http.GetFromJsonAsync<JsonElement>("/api/salesforce/enhanced/health", ct);
        Assert.Equal("ok", health.GetProperty("data").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("valid", health.GetProperty("data").GetProperty("token").GetProperty("status").GetString());
        await using var data = NpgsqlDataSource.Create(sample.ConnectionString);
        await using var count = data.CreateCommand("SELECT count(*) FROM salesforce_oauth_audit_log WHERE action = 'stored'");
        Assert.True((long)(await count.ExecuteScalarAsync(ct))! >= 1);
    }
}
