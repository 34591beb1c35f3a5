using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Caching;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Tests.Caching;

/// <summary>
/// The SDK with caching registered as an application would, over a fake org that counts every request by method and path
/// and answers a query with the name of the user whose token came with it (so that a result served to the wrong user shows).
/// Users "user-a" and "user-b" have tokens on the same org.
/// </summary>
internal sealed class CachingHost : IAsyncDisposable
{
    public const string Instance = "https://acme.my.salesforce.com";
    public const string OrgId = "00D5g000000AbCdEAK";
    public static readonly string[] Users = ["user-a", "user-b"];

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public CachingHost(Action<IServiceCollection>? services = null, Action<SalesforceCacheOptions>? cache = null, Task? gate = null)
    {
        var collection = new ServiceCollection();
        collection.AddAtomSalesforce(o =>
            {
                o.ClientId = "test-client-id";
                o.ClientSecret = "test-client-secret";
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(() => new DelegateHandler((request, ct) => RespondAsync(request, gate, ct))))
            .AddCaching(cache);
        services?.Invoke(collection);
        Provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var store = Provider.GetRequiredService<ITokenStore>();
        foreach (var user in Users)
        {
            store.SaveAsync(user, Token(user)).GetAwaiter().GetResult();
        }

        Factory = Provider.GetRequiredService<ISalesforceClientFactory>();
    }

    public ServiceProvider Provider { get; }

    public ISalesforceClientFactory Factory { get; }

    public SalesforceClient For(string user) => Factory.ForUser(user);

    /// <summary>The access token of <paramref name="user"/>: what must never reach a cache key or value.</summary>
    public static string AccessToken(string user) => $"{OrgId}!AQ4AQAccessTokenOf-{user}";

    public static string RefreshToken(string user) => $"5Aep861RefreshTokenOf-{user}";

    public static SalesforceToken Token(string user) =>
        new(AccessToken(user), new Uri(Instance), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000))
        {
            RefreshToken = RefreshToken(user),
            IdentityUrl = new Uri($"https://login.salesforce.com/id/{OrgId}/005{user.GetHashCode(StringComparison.Ordinal) & 0xFFFFFF:X12}"),
        };

    /// <summary>The requests the org received with this method and path (the query string left out).</summary>
    public int Calls(string method, string path) => _calls.GetValueOrDefault($"{method} /services/data/v66.0/{path}");

    public int TotalCalls => _calls.Values.Sum();

    public ValueTask DisposeAsync() => Provider.DisposeAsync();

    private async Task<HttpResponseMessage> RespondAsync(HttpRequestMessage request, Task? gate, CancellationToken cancellationToken)
    {
        // Salesforce's resource paths end with a slash or not; both count as one resource.
        var absolute = request.RequestUri!.AbsolutePath.TrimEnd('/');
        _calls.AddOrUpdate($"{request.Method} {absolute}", 1, static (_, n) => n + 1);
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var user = Users.Single(u => request.Headers.Authorization?.Parameter == AccessToken(u));
        var path = absolute["/services/data/v66.0/".Length..];
        return (request.Method.Method, path) switch
        {
            ("GET", "sobjects") => Json(Fixtures.Read("describe/describe_global.restforce.json")),
            ("GET", "limits") => Json(Fixtures.Read("limits/limits.simple-salesforce.json")),
            ("GET", "query") => Json(
                $$"""{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001000000000001AAA"},"Id":"001000000000001AAA","Name":"Seen by {{user}}"}]}"""),
            ("GET", _) when path.EndsWith("/describe", StringComparison.Ordinal) => Json(Fixtures.Read("describe/sobject_describe.restforce.json")),
            ("POST", _) when path.StartsWith("sobjects/", StringComparison.Ordinal) =>
                Json("""{"id":"001000000000002AAA","success":true,"errors":[]}""", HttpStatusCode.Created),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent($$"""[{"message":"no such resource: {{path}}","errorCode":"NOT_FOUND"}]""", Encoding.UTF8, "application/json") },
        };
    }

    private static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
