using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: the emulator listening on loopback (REST and its Pub/Sub API over HTTP/2), a PostgreSQL schema of its
/// own, a receiver (Kestrel on loopback) recording what it is posted, and apps (<see cref="StartAppAsync"/>) running the pack
/// with webhooks and the hosted change event consumer; several apps may run one after another on the same schema.
/// </summary>
internal sealed class WebhookRig : IAsyncDisposable
{
    /// <summary>The emulator's org (its identity URLs name it; GetTopic answers it).</summary>
    public const string OrgId = "00DHs0000000001MAA";

    public const string Integration = "integration";

    private readonly List<WebhookApp> _apps = [];

    private WebhookRig(SalesforceEmulator emulator, EmulatorServer server, string schema, Receiver receiver)
    {
        Emulator = emulator;
        Server = server;
        Schema = schema;
        Receiver = receiver;
    }

    public SalesforceEmulator Emulator { get; }

    public EmulatorServer Server { get; }

    public string Schema { get; }

    public Receiver Receiver { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(PackHost.ServerConnectionString) { SearchPath = Schema, MaxPoolSize = 10 }.ConnectionString;

    /// <summary>The key every app of the rig encrypts with (the same database, the same key ring).</summary>
    public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static async Task<WebhookRig> StartAsync()
    {
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions());
        var server = await emulator.ListenAsync(cancellationToken: TestContext.Current.CancellationToken);
        var schema = "webhooks_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(PackHost.ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new WebhookRig(emulator, server, schema, await Receiver.StartAsync());
    }

    /// <summary>
    /// Starts an app: the pack with webhooks (loopback and http targets allowed, quick retries unless
    /// <paramref name="configure"/> says otherwise) and the consumer reading <c>/data/ChangeEvents</c> as the integration user.
    /// Alice and Bob are connected, with identity URLs in the org. <paramref name="tokenStore"/> changes the token store's
    /// options after the rig's (its key ring: key <c>k1</c>, <see cref="EncryptionKey"/>).
    /// </summary>
    public async Task<WebhookApp> StartAppAsync(Action<WebhookOptions>? configure = null, Func<DelegatingHandler>? restHandler = null, Action<Atom.Salesforce.Client.Postgres.PostgresTokenStoreOptions>? tokenStore = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        var sdk = builder.Services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.ClientSecret = "emulator-secret";
                o.LoginUrl = Server.BaseAddress;
                o.Resilience.MaxRetryAttempts = 0;
            })
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = ConnectionString;
                o.MigrateOnStart = true;
                o.CacheDuration = TimeSpan.Zero;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = EncryptionKey;
                tokenStore?.Invoke(o);
            })
            .AddPubSub(o => o.Endpoint = Server.PubSubAddress!)
            .AddEndpoints(o => o.RateLimitPermits = 1_000_000)
            .AddWebhooks(o =>
            {
                o.AllowLoopbackTargets = true;
                o.AllowHttpTargets = true;
                o.PollInterval = TimeSpan.FromMilliseconds(100);
                o.RetryDelay = TimeSpan.FromMilliseconds(200);
                o.MaxRetryDelay = TimeSpan.FromSeconds(1);
                o.RequestTimeout = TimeSpan.FromSeconds(10);
                configure?.Invoke(o);
            });
        if (restHandler is not null)
        {
            sdk.ConfigureHttpClient(b => b.AddHttpMessageHandler(restHandler));
        }

        builder.Services.AddAtomSalesforceChangeEvents(o =>
            {
                o.UserId = Integration;
                o.ConsumerName = "webhooks";
                o.StartFromEarliest = true;
                o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
                o.RetryDelay = TimeSpan.FromMilliseconds(100);
                o.LeaseRetryInterval = TimeSpan.FromMilliseconds(500);
            })
            .UsePostgres()
            .AddWebhooks();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAtomSalesforce();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var started = new WebhookApp(app);
        _apps.Add(started);
        var store = app.Services.GetRequiredService<ITokenStore>();
        foreach (var user in new[] { Integration, PackHost.Alice, PackHost.Bob })
        {
            await store.SaveAsync(user, Token(Emulator.Options.AccessToken!), TestContext.Current.CancellationToken);
        }

        return started;
    }

    /// <summary>A token of the org's admin user with its identity URL (which names the org).</summary>
    public SalesforceToken Token(string accessToken) => new(accessToken, Server.BaseAddress, DateTimeOffset.UtcNow)
    {
        IdentityUrl = new Uri(Server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
    };

    /// <summary>A new session of the admin user (the client credentials flow): a token the REST handler can tell apart.</summary>
    public async Task<string> NewSessionAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var response = await http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "emulator-client",
            ["client_secret"] = "emulator-secret",
        }), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>Runs a query on the rig's schema and returns the first column of each row.</summary>
    public async Task<List<object?>> ColumnAsync(string sql, params object[] parameters)
    {
        await using var data = NpgsqlDataSource.Create(ConnectionString);
        await using var command = data.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var values = new List<object?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Receiver.DisposeAsync();
        await Server.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(PackHost.ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>One app of the rig; disposing it stops it (its delivery worker and consumer with it).</summary>
internal sealed class WebhookApp(WebApplication app) : IAsyncDisposable
{
    private bool _stopped;

    public IServiceProvider Services => app.Services;

    public async Task<Reply> PostAsync(string route, string signedInAs, object body)
    {
        using var http = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/salesforce/enhanced/" + route)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(PackHost.UserHeader, signedInAs);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, text, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : null,
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null);
    }

    /// <summary>Registers an endpoint for <paramref name="objects"/> at the receiver (path <paramref name="path"/>); returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> CreateAsync(Receiver receiver, string path, string signedInAs = PackHost.Alice, params string[] objects)
    {
        var data = (await PostAsync("webhooks/create", signedInAs, new { target_url = receiver.Url(path), objects })).Data;
        return (data.GetProperty("id").GetString()!, data.GetProperty("secret").GetString()!);
    }

    /// <summary>The owner's list entry of one endpoint.</summary>
    public async Task<JsonElement> EntryAsync(string id, string signedInAs = PackHost.Alice) =>
        (await PostAsync("webhooks/list", signedInAs, new { })).Data.GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A webhook receiver on loopback: records every request and answers with the status its path is set to (200 by default).</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);

    private Receiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url(string path) => new Uri(Address, path).AbsoluteUri;

    /// <summary>What requests to <paramref name="path"/> are answered with from now on.</summary>
    public void Answer(string path, int status) => _statuses[path] = status;

    public IReadOnlyList<Received> To(string path) => [.. Requests.Where(r => r.Path == path)];

    /// <summary>The certificate of an https receiver (self-signed, for 127.0.0.1), or null.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; private init; }

    public static async Task<Receiver> StartAsync(bool https = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = https ? SelfSigned() : null;
        if (certificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        }

        var app = builder.Build();
        Receiver? receiver = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var path = http.Request.Path.Value!.TrimStart('/');
            receiver!.Requests.Enqueue(new Received(path, http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, DateTimeOffset.UtcNow));
            http.Response.StatusCode = receiver._statuses.TryGetValue(path, out var status) ? status : 200;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new Receiver(app, new Uri(address.TrimEnd('/') + "/")) { Certificate = certificate };
        return receiver;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(made.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A request the receiver got.</summary>
internal sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"No {name} header.");
}

/// <summary>Waits for a condition, polling; fails after a generous limit (never a timing assertion).</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, int seconds = 60)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("Waited in vain for " + what);
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, int seconds = 60) =>
        GetAsync<object>(async () => await probe() ? new object() : null, what, seconds);

    public static Task TrueAsync(Func<bool> probe, string what, int seconds = 60) =>
        GetAsync<object>(() => Task.FromResult(probe() ? new object() : null), what, seconds);
}
