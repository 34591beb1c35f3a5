using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.ApexRest;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Apex;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>A body an Apex REST service takes and returns.</summary>
public sealed class ApexOrder
{
    public string? Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public decimal Amount { get; set; }

    public DateOnly? Due { get; set; }

    public string? Status { get; set; }

    public List<string> Tags { get; set; } = [];
}

/// <summary>What the test service's delete answers.</summary>
public sealed class ApexDeleted
{
    public string Deleted { get; set; } = string.Empty;
}

[JsonSerializable(typeof(ApexOrder))]
[JsonSerializable(typeof(ApexDeleted))]
internal sealed partial class ApexTestJsonContext : JsonSerializerContext;

/// <summary>
/// <c>sf.Apex</c> and <c>sf.SendAsync</c> against Apex REST resources registered in the emulator, over Kestrel on a real
/// loopback socket, with a session the org expires: the same auth, refresh, retry and error mapping as every other call.
/// </summary>
public sealed class ApexRestTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _orgClock = new(DateTimeOffset.UtcNow);
    private readonly ConcurrentQueue<ApexRestRequest> _calls = new();
    private SalesforceEmulator _emulator = null!;
    private EmulatorServer _server = null!;
    private ServiceProvider _provider = null!;
    private SalesforceClient _sf = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new SalesforceEmulatorOptions { TimeProvider = _orgClock, SessionTimeout = TimeSpan.FromMinutes(30), AccessToken = null };
        options.OAuth.ConnectedApps[0].RunAsUsername = EmulatorOAuthOptions.AdminUsername;
        _emulator = new SalesforceEmulator(options);
        _emulator.MapApexRest("/Orders/*", new ApexRestResource
        {
            HttpGet = r => Record(r, ApexRestResponse.Json(new ApexOrder
            {
                Id = Last(r), Name = "Order " + Last(r), Amount = 12.5m, Due = new DateOnly(2026, 7, 1),
                Status = r.Params.GetValueOrDefault("expand") + "|" + r.Headers.GetValueOrDefault("X-Tenant"), Tags = ["a", "b"],
            })),
            HttpPost = r => Record(r, ApexRestResponse.Json(With(r.ReadJson<ApexOrder>()!, "ORD-1", "Created"), 201)),
            HttpPut = r => Record(r, ApexRestResponse.Json(With(r.ReadJson<ApexOrder>()!, Last(r), "Replaced"))),
            HttpPatch = r => Record(r, ApexRestResponse.Json(With(r.ReadJson<ApexOrder>()!, Last(r), "Patched"))),
            HttpDelete = r => Record(r, ApexRestResponse.Json(new ApexDeleted { Deleted = Last(r) })),
        });
        _emulator.MapApexRest("/Orders/special", new ApexRestResource { HttpGet = r => Record(r, ApexRestResponse.Json(new ApexOrder { Name = "exact" })) });
        _emulator.MapApexRest("/Orders/*/lines", new ApexRestResource { HttpGet = r => Record(r, ApexRestResponse.Json(new ApexOrder { Name = "lines" })) });
        _emulator.MapApexRest("/Jobs", new ApexRestResource
        {
            HttpPost = r => Record(r, ApexRestResponse.Empty()),
            HttpDelete = r => Record(r, ApexRestResponse.Empty()),
        });
        _emulator.MapApexRest("/Boom", new ApexRestResource { HttpGet = _ => throw new InvalidOperationException("Attempt to de-reference a null object") });
        _server = await _emulator.ListenAsync(cancellationToken: Ct);

        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = EmulatorOAuthOptions.DefaultClientId;
            o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
            o.LoginUrl = _server.BaseAddress;
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        });
        _provider = services.BuildServiceProvider();
        await _provider.GetRequiredService<ISalesforceOAuth>().AuthenticateWithClientCredentialsAsync("service", Ct);
        _sf = _provider.GetRequiredService<ISalesforceClientFactory>().ForUser("service");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Typed_bodies_round_trip_for_every_verb()
    {
        var order = new ApexOrder { Name = "Widgets", Amount = 99.95m, Due = new DateOnly(2026, 12, 24), Tags = ["rush"] };
        var query = new ApexRequestOptions { Query = { ["expand"] = "lines & more" }, Headers = { ["X-Tenant"] = "t1" } };

        var got = await _sf.Apex.GetAsync<ApexOrder>("Orders/42", query, Ct);
        var created = await _sf.Apex.PostAsync<ApexOrder, ApexOrder>("/Orders", order, cancellationToken: Ct);
        var replaced = await _sf.Apex.PutAsync<ApexOrder, ApexOrder>("Orders/ORD-1", order, cancellationToken: Ct);
        var patched = await _sf.Apex.PatchAsync<ApexOrder, ApexOrder>("Orders/ORD-1", new ApexOrder { Name = "Gadgets" }, cancellationToken: Ct);
        var deleted = await _sf.Apex.DeleteAsync<ApexDeleted>("Orders/ORD-1", cancellationToken: Ct);

        Assert.Equivalent(new ApexOrder { Id = "42", Name = "Order 42", Amount = 12.5m, Due = new DateOnly(2026, 7, 1), Status = "lines & more|t1", Tags = ["a", "b"] }, got);
        Assert.Equivalent(new ApexOrder { Id = "ORD-1", Name = "Widgets", Amount = 99.95m, Due = new DateOnly(2026, 12, 24), Status = "Created", Tags = ["rush"] }, created);
        Assert.Equal(("ORD-1", "Replaced", 99.95m), (replaced!.Id, replaced.Status, replaced.Amount));
        Assert.Equal(("ORD-1", "Gadgets", "Patched"), (patched!.Id, patched.Name, patched.Status));
        Assert.Equal("ORD-1", deleted!.Deleted);
        Assert.Equal(
            ["GET /Orders/42", "POST /Orders", "PUT /Orders/ORD-1", "PATCH /Orders/ORD-1", "DELETE /Orders/ORD-1"],
            _calls.Select(c => $"{c.HttpMethod} {c.RequestUri}"));
        Assert.All(_calls, c => Assert.Equal("/services/apexrest/Orders/*", c.ResourcePath));

        // The body is the method's own contract: every property goes out, nulls included (a record save would drop them).
        using var sent = JsonDocument.Parse(_calls.ElementAt(3).RequestBody);
        Assert.Equal(JsonValueKind.Null, sent.RootElement.GetProperty("Id").ValueKind);
    }

    [Fact]
    public async Task A_source_generated_context_serializes_the_bodies_for_every_verb()
    {
        var json = new ApexRequestOptions { JsonOptions = ApexTestJsonContext.Default.Options };
        var order = new ApexOrder { Name = "Aot", Amount = 1m, Tags = ["x"] };

        var got = await _sf.Apex.GetAsync<ApexOrder>("Orders/7", json, Ct);
        var created = await _sf.Apex.PostAsync<ApexOrder, ApexOrder>("Orders", order, json, Ct);
        var replaced = await _sf.Apex.PutAsync<ApexOrder, ApexOrder>("Orders/7", order, json, Ct);
        var patched = await _sf.Apex.PatchAsync<ApexOrder, ApexOrder>("Orders/7", order, json, Ct);
        var deleted = await _sf.Apex.DeleteAsync<ApexDeleted>("Orders/7", json, Ct);

        Assert.Equal(("7", "Order 7"), (got!.Id, got.Name));
        Assert.Equal(("ORD-1", "Aot", "Created"), (created!.Id, created.Name, created.Status));
        Assert.Equal(("7", "Replaced"), (replaced!.Id, replaced.Status));
        Assert.Equal(("7", "Patched"), (patched!.Id, patched.Status));
        Assert.Equal("7", deleted!.Deleted);
    }

    [Fact]
    public async Task A_void_method_answers_with_no_body_and_the_result_is_default()
    {
        var posted = await _sf.Apex.PostAsync<ApexOrder, ApexOrder>("Jobs", new ApexOrder { Name = "nightly" }, cancellationToken: Ct);
        var deleted = await _sf.Apex.DeleteAsync<object>("Jobs", cancellationToken: Ct);

        Assert.Null(posted);
        Assert.Null(deleted);
        Assert.Equal(["POST /Jobs", "DELETE /Jobs"], _calls.Select(c => $"{c.HttpMethod} {c.RequestUri}"));
    }

    [Fact]
    public async Task Url_mappings_follow_Salesforce_rules_an_exact_match_wins_then_the_longest_wildcard()
    {
        var exact = await _sf.Apex.GetAsync<ApexOrder>("Orders/special", cancellationToken: Ct);
        var lines = await _sf.Apex.GetAsync<ApexOrder>("Orders/42/lines", cancellationToken: Ct);
        var wildcard = await _sf.Apex.GetAsync<ApexOrder>("Orders/43/notes", cancellationToken: Ct);

        Assert.Equal(("exact", "lines", "Order notes"), (exact!.Name, lines!.Name, wildcard!.Name));
        Assert.Equal(
            ["/services/apexrest/Orders/special", "/services/apexrest/Orders/*/lines", "/services/apexrest/Orders/*"],
            _calls.Select(c => c.ResourcePath));
    }

    [Fact]
    public async Task Apex_errors_map_to_the_SDK_exceptions_as_Salesforce_reports_them()
    {
        var unknown = await Assert.ThrowsAsync<SalesforceApiException>(() => _sf.Apex.GetAsync<ApexOrder>("Invoices/1", cancellationToken: Ct));
        var caseSensitive = await Assert.ThrowsAsync<SalesforceApiException>(() => _sf.Apex.GetAsync<ApexOrder>("orders/1", cancellationToken: Ct));
        var notAllowed = await Assert.ThrowsAsync<SalesforceApiException>(
            () => _sf.Apex.PatchAsync<ApexOrder, ApexOrder>("Jobs", new ApexOrder(), cancellationToken: Ct));
        var uncaught = await Assert.ThrowsAsync<SalesforceApiException>(() => _sf.Apex.GetAsync<ApexOrder>("Boom", cancellationToken: Ct));

        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND", "Could not find a match for URL"), (unknown.Status, unknown.ErrorCode, unknown.Errors[0].Message));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (caseSensitive.Status, caseSensitive.ErrorCode));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED"), (notAllowed.Status, notAllowed.ErrorCode));
        Assert.Contains("'PATCH' not allowed", notAllowed.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.InternalServerError, "APEX_ERROR"), (uncaught.Status, uncaught.ErrorCode));
        Assert.Contains("Attempt to de-reference a null object", uncaught.Message, StringComparison.Ordinal);
        Assert.False(uncaught.IsTransient);
    }

    [Fact]
    public async Task An_expired_session_is_renewed_and_the_Apex_call_replayed_once()
    {
        var before = (await _provider.GetRequiredService<ITokenStore>().GetAsync("service", Ct))!.AccessToken;
        var activities = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Atom.Salesforce",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => activities.Enqueue(a.OperationName),
        };
        ActivitySource.AddActivityListener(listener);

        // The org's clock passes the session timeout: the POST meets 401, the SDK gets a new session and sends it again.
        _orgClock.Advance(TimeSpan.FromMinutes(31));
        var created = await _sf.Apex.PostAsync<ApexOrder, ApexOrder>("Orders", new ApexOrder { Name = "After expiry" }, cancellationToken: Ct);
        var after = (await _provider.GetRequiredService<ITokenStore>().GetAsync("service", Ct))!.AccessToken;

        Assert.Equal(("ORD-1", "After expiry"), (created!.Id, created.Name));
        Assert.NotEqual(before, after);
        Assert.Single(_calls);
        Assert.Contains("ApexClient.Post", activities);
    }

    [Fact]
    public async Task A_raw_request_reaches_standard_REST_paths_through_the_same_pipeline()
    {
        using var limits = await _sf.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("limits/", UriKind.Relative)), Ct);
        using var limitsBody = JsonDocument.Parse(await limits.Content.ReadAsStringAsync(Ct));
        using var created = await _sf.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, new Uri("/services/data/v66.0/sobjects/Account/", UriKind.Relative))
            {
                Content = JsonContent.Create(new Dictionary<string, string> { ["Name"] = "Raw Acme" }),
            }, Ct);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
        using var absolute = await _sf.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri(_emulator.InstanceUrl, $"services/data/v66.0/sobjects/Account/{id}?fields=Name")), Ct);
        var apex = await _sf.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/services/apexrest/Orders/5", UriKind.Relative)), Ct);
        var missing = await Assert.ThrowsAsync<SalesforceApiException>(
            () => _sf.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("sobjects/Account/001000000000000AAA", UriKind.Relative)), Ct));

        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);
        Assert.True(limitsBody.RootElement.TryGetProperty("DailyApiRequests", out _));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Raw Acme", JsonDocument.Parse(await absolute.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("Name").GetString());
        Assert.Equal("5", (await apex.Content.ReadFromJsonAsync<ApexOrder>(Ct))!.Id);
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (missing.Status, missing.ErrorCode));
        Assert.NotNull(_sf.ApiUsage);
    }

    [Fact]
    public async Task A_raw_request_to_a_foreign_absolute_url_is_refused_before_anything_is_sent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var otherPort = ((IPEndPoint)listener.LocalEndpoint).Port;
            var foreign = await Assert.ThrowsAsync<ArgumentException>(
                () => _sf.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("https://evil.example.com/services/data/v66.0/limits/")), Ct));
            var otherLoopback = await Assert.ThrowsAsync<ArgumentException>(
                () => _sf.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{otherPort}/services/data/v66.0/limits/")), Ct));
            var apexAbsolute = await Assert.ThrowsAsync<ArgumentException>(
                () => _sf.Apex.GetAsync<ApexOrder>("https://evil.example.com/services/apexrest/Orders/1", cancellationToken: Ct));

            Assert.Equal("request", foreign.ParamName);
            Assert.Contains("evil.example.com", foreign.Message, StringComparison.Ordinal);
            Assert.Equal("request", otherLoopback.ParamName);
            Assert.Equal("path", apexAbsolute.ParamName);
            Assert.False(listener.Pending());
            Assert.Empty(_calls);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_IO()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _sf.SendAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => _sf.SendAsync(new HttpRequestMessage(), Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _sf.Apex.GetAsync<ApexOrder>(" ", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _sf.Apex.PostAsync<ApexOrder, ApexOrder>("Orders", null!, cancellationToken: Ct));
        var header = new ApexRequestOptions { Headers = { ["Authorization"] = "Bearer stolen" } };
        await Assert.ThrowsAsync<ArgumentException>(() => _sf.Apex.GetAsync<ApexOrder>("Orders/1", header, Ct));
        Assert.Empty(_calls);
    }

    private static string Last(ApexRestRequest request) => request.RequestUri[(request.RequestUri.LastIndexOf('/') + 1)..];

    private static ApexOrder With(ApexOrder order, string id, string status)
    {
        order.Id = id;
        order.Status = status;
        return order;
    }

    private ApexRestResponse Record(ApexRestRequest request, ApexRestResponse response)
    {
        _calls.Enqueue(request);
        return response;
    }
}
