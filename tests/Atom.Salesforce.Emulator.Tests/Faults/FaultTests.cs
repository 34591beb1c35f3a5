using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Faults;

public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_SDK_retries_through_injected_429_and_503_on_a_GET()
    {
        await using var org = new EmulatedOrg();
        var id = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        org.Emulator.InjectFault(new EmulatorFault(FaultKind.RateLimit, "/services/data/*/sobjects/Account/*") { Method = "GET", RetryAfter = TimeSpan.FromSeconds(1) });
        org.Emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable, "/services/data/*/sobjects/Account/*") { Method = "GET" });

        var account = await org.Client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct);

        Assert.Equal("Acme", account.Get<string>("Name"));
        var stats = await Stats(org);
        Assert.Equal(2, stats.GetProperty("faultsInjected").GetInt32());
        Assert.Equal(1, stats.GetProperty("byStatus").GetProperty("429").GetInt32());
        Assert.Equal(1, stats.GetProperty("byStatus").GetProperty("503").GetInt32());
    }

    [Fact]
    public async Task The_SDK_retries_a_GET_and_a_DELETE_through_UNABLE_TO_LOCK_ROW()
    {
        await using var org = new EmulatedOrg();
        var id = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        org.Emulator.InjectFault(new EmulatorFault(FaultKind.UnableToLockRow, "/services/data/*/sobjects/Account/*") { Method = "GET", Count = 2 });
        org.Emulator.InjectFault(new EmulatorFault(FaultKind.UnableToLockRow, "/services/data/*/sobjects/Account/*") { Method = "DELETE" });

        var account = await org.Client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct);
        await org.Client.SObjects.DeleteAsync("Account", id, Ct);

        Assert.Equal("Acme", account.Get<string>("Name"));
        var stats = await Stats(org);
        Assert.Equal(3, stats.GetProperty("faultsInjected").GetInt32());
        Assert.Equal(3, stats.GetProperty("byStatus").GetProperty("400").GetInt32());
        await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.SObjects.GetAsync<SObject>("Account", id, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_POST_is_never_retried_and_the_lock_error_reaches_the_caller_as_transient()
    {
        await using var org = new EmulatedOrg();
        org.Emulator.InjectFault(new EmulatorFault(FaultKind.UnableToLockRow, "/services/data/*/sobjects/Account") { Method = "POST" });

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct));
        var second = await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);

        Assert.Equal("UNABLE_TO_LOCK_ROW", error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.StartsWith("001", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_connection_fails_the_request_and_faults_are_used_up_by_count()
    {
        await using var org = new EmulatedOrg();
        await org.Http.PostAsJsonAsync("/__emulator/faults", new { kind = "dropConnection", path = "/services/data/*/limits", count = 2 }, Ct);

        await Assert.ThrowsAsync<HttpRequestException>(() => org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct));
        var pending = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct)).RootElement;
        await Assert.ThrowsAsync<HttpRequestException>(() => org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct));
        var third = await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);

        Assert.Equal(1, Assert.Single(pending.EnumerateArray()).GetProperty("remaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("[]", await org.Http.GetStringAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct));
    }

    [Fact]
    public async Task Faults_are_refused_when_malformed_and_cleared_on_DELETE()
    {
        await using var org = new EmulatedOrg();

        var bad = await org.Http.PostAsJsonAsync("/__emulator/faults", new { kind = "meteorStrike" }, Ct);
        await org.Http.PostAsJsonAsync("/__emulator/faults", new { kind = "unavailable" }, Ct);
        await org.Http.DeleteAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct);
        var after = await org.Http.GetAsync(new Uri("/services/data/v66.0/limits", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Stats_log_each_request_with_its_route_and_status()
    {
        await using var org = new EmulatedOrg();
        await org.Http.GetAsync(new Uri("/services/data/v66.0/sobjects/Account/describe", UriKind.Relative), Ct);
        await org.Http.GetAsync(new Uri("/services/data/v66.0/sobjects/Widget/describe", UriKind.Relative), Ct);

        var stats = await Stats(org);

        Assert.Equal(2, stats.GetProperty("byRoute").GetProperty("GET /services/data/{version}/sobjects/{type}/describe").GetInt32());
        Assert.Equal([200, 404], stats.GetProperty("recent").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal(2, stats.GetProperty("apiUsage").GetInt32());
    }

    [Fact]
    public async Task Skip_lets_the_first_matching_requests_pass_and_dropResponse_loses_the_answer_of_a_write_that_happened()
    {
        await using var org = new EmulatedOrg();
        var added = await org.Http.PostAsJsonAsync("/__emulator/faults", new { kind = "dropResponse", path = "/services/data/*/sobjects/Account", method = "POST", skip = 1 }, Ct);
        var pending = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct)).RootElement;

        await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Skip fault 1" }, Ct);
        var lost = await Assert.ThrowsAsync<SalesforceException>(() => org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Skip fault 2" }, Ct));
        await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Skip fault 3" }, Ct);
        var names = new List<string>();
        await foreach (var account in org.Client.Query.QueryAsync<SObject>("SELECT Name FROM Account WHERE Name LIKE 'Skip fault%' ORDER BY Name", cancellationToken: Ct))
        {
            names.Add(account.Get<string>("Name")!);
        }

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(1, Assert.Single(pending.EnumerateArray()).GetProperty("skip").GetInt32());
        Assert.True(lost.IsTransient);
        // The second create was carried out although its answer never arrived.
        Assert.Equal(["Skip fault 1", "Skip fault 2", "Skip fault 3"], names);
        Assert.Equal("[]", await org.Http.GetStringAsync(new Uri("/__emulator/faults", UriKind.Relative), Ct));
    }

    [Fact]
    public void A_negative_skip_is_refused()
    {
        var emulator = new SalesforceEmulator();

        Assert.Throws<ArgumentOutOfRangeException>(() => emulator.InjectFault(new EmulatorFault(FaultKind.Unavailable) { Skip = -1 }));
    }

    private static async Task<JsonElement> Stats(EmulatedOrg org) =>
        JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/__emulator/stats", UriKind.Relative), Ct)).RootElement;
}
