using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The endpoint pack in an in-memory ASP.NET Core host: the SDK wired to an emulated org (demo data), tokens in a fresh
/// PostgreSQL schema, and a test sign-in: the <c>X-Test-User</c> header names the signed-in user.
/// </summary>
internal sealed class PackHost : IAsyncDisposable
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string UserHeader = "X-Test-User";

    private readonly WebApplication _app;
    private readonly string _schema;

    private PackHost(WebApplication app, SalesforceEmulator emulator, string schema)
    {
        _app = app;
        Emulator = emulator;
        _schema = schema;
        Http = app.GetTestClient();
    }

    public SalesforceEmulator Emulator { get; }

    /// <summary>The PostgreSQL schema the host's tables are in.</summary>
    public string Schema => _schema;

    /// <summary>Every log line the host wrote, at every level.</summary>
    public CollectingLoggerProvider Logs { get; private init; } = null!;

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public ITokenStore TokenStore => Services.GetRequiredService<ITokenStore>();

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ATOM_TEST_PG")
        ?? throw new InvalidOperationException("ATOM_TEST_PG is not set: run the tests through ./build.sh test, or set it to a PostgreSQL connection string.");

    /// <summary>Starts a host; Alice is connected (the emulator's permanent token), Bob is not.</summary>
    public static async Task<PackHost> StartAsync(
        Action<SalesforceEndpointOptions>? configure = null,
        SalesforceEmulator? emulator = null,
        string prefix = "/api/salesforce/enhanced",
        Action<WebApplicationBuilder>? services = null,
        Action<RouteGroupBuilder>? conventions = null,
        Action<ISalesforceBuilder>? salesforce = null)
    {
        emulator ??= new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = 0.05 } });
        var schema = "aspnet_" + Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ServerConnectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = schema, MaxPoolSize = 10 }.ConnectionString;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var logs = new CollectingLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        var sdk = builder.Services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.ClientSecret = "emulator-secret";
                o.LoginUrl = emulator.InstanceUrl;
                // Failures reach the envelope at once; retries are the SDK's concern and have their own tests.
                o.Resilience.MaxRetryAttempts = 0;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
            .AddPostgresTokenStore(o =>
            {
                o.ConnectionString = connectionString;
                o.MigrateOnStart = true;
                o.CacheDuration = TimeSpan.Zero;
                o.Encryption.CurrentKeyId = "k1";
                o.Encryption.Keys["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            })
            .AddEndpoints(o =>
            {
                // The suites send many requests as one user; the limit's own tests set it back.
                o.RateLimitPermits = 1_000_000;
                configure?.Invoke(o);
            });
        salesforce?.Invoke(sdk);
        services?.Invoke(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        if (services is not null)
        {
            app.UseRateLimiter();
        }

        var group = app.MapAtomSalesforce(prefix);
        conventions?.Invoke(group);
        await app.StartAsync();
        var host = new PackHost(app, emulator, schema) { Logs = logs };
        await host.ConnectAsync(Alice);
        return host;
    }

    /// <summary>Stores the emulator's permanent token for <paramref name="userId"/>.</summary>
    public Task ConnectAsync(string userId) =>
        TokenStore.SaveAsync(userId, new SalesforceToken(Emulator.Options.AccessToken!, Emulator.InstanceUrl, DateTimeOffset.UtcNow));

    /// <summary>The token store's audit actions for <paramref name="userId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> AuditActionsAsync(string userId)
    {
        await using var data = NpgsqlDataSource.Create(ServerConnectionString);
        await using var command = data.CreateCommand($"SELECT action FROM {_schema}.salesforce_oauth_audit_log WHERE user_id = $1 ORDER BY \"timestamp\", id");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        var actions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actions.Add(reader.GetString(0));
        }

        return actions;
    }

    public async Task<Reply> PostAsync(string route, string? signedInAs, object? body, string prefix = "/api/salesforce/enhanced")
    {
        var json = body switch
        {
            null => string.Empty,
            string text => text,
            _ => JsonSerializer.Serialize(body),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{prefix}/{route}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (signedInAs is not null)
        {
            request.Headers.Add(UserHeader, signedInAs);
        }

        return await SendAsync(request);
    }

    public async Task<Reply> GetAsync(string pathAndQuery, string? signedInAs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (signedInAs is not null)
        {
            request.Headers.Add(UserHeader, signedInAs);
        }

        return await SendAsync(request);
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        JsonElement? root = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
        {
            root = JsonDocument.Parse(text).RootElement.Clone();
        }

        return new Reply(response.StatusCode, text, root, response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            response.Headers.Location);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(ServerConnectionString);
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>A response: status, raw text, parsed JSON and headers.</summary>
internal sealed record Reply(HttpStatusCode Status, string Text, JsonElement? Json, IReadOnlyDictionary<string, string> Headers, Uri? Location)
{
    public JsonElement Root => Json ?? throw new InvalidOperationException($"Not JSON ({(int)Status}): {Text}");

    public JsonElement Data
    {
        get
        {
            Assert.True(Root.GetProperty("ok").GetBoolean(), $"Expected success, got {(int)Status}: {Text}");
            return Root.GetProperty("data");
        }
    }

    /// <summary>
    /// Asserts the exact error envelope and returns it: its keys in order, the status, the code, a category from the
    /// documented vocabulary (<paramref name="error"/> when given).
    /// </summary>
    public JsonElement AssertError(int status, string errorCode, string? error = null)
    {
        Assert.True((int)Status == status, $"Expected {status} {errorCode}, got {(int)Status}: {Text}");
        var root = Root;
        Assert.Equal(
            ["ok", "error", "message", "status_code", "error_code", "service"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(status, root.GetProperty("status_code").GetInt32());
        Assert.Equal(errorCode, root.GetProperty("error_code").GetString());
        Assert.Contains(root.GetProperty("error").GetString(), SalesforceEndpointErrors.All);
        if (error is not null)
        {
            Assert.Equal(error, root.GetProperty("error").GetString());
        }

        Assert.Equal("salesforce_enhanced", root.GetProperty("service").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", Text, StringComparison.Ordinal);
        return root;
    }
}

/// <summary>Signs in whoever the <c>X-Test-User</c> header names; no header, nobody.</summary>
internal sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeader";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers[PackHost.UserHeader].ToString();
        if (user.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Keeps every formatted log line, with its exception, so that a test can prove no secret reaches a log.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
    }
}
