using System.Diagnostics;
using Atom.Salesforce.Emulator.Apex;
using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Bulk;
using Atom.Salesforce.Emulator.BulkV1;
using Atom.Salesforce.Emulator.Composite;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Faults;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.OAuth;
using Atom.Salesforce.Emulator.PubSub;
using Atom.Salesforce.Emulator.Query;
using Atom.Salesforce.Emulator.Rest;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Soap;
using Atom.Salesforce.Emulator.Tooling;

namespace Atom.Salesforce.Emulator;

/// <summary>
/// An offline Salesforce org. Serve it in-process with <see cref="CreateHandler"/> (fast tests) or over real HTTP with
/// <see cref="ListenAsync"/>; the executable does the latter from the command line. Any client configured with its URL
/// and <see cref="SalesforceEmulatorOptions.AccessToken"/> talks to it as to a real org.
/// </summary>
public sealed partial class SalesforceEmulator : IHostedEmulator
{
    private readonly Router _router = new();

    /// <summary>
    /// Creates an org: empty (the admin user and the opportunity stages only), or filled with the generated demo sales org
    /// when <see cref="SalesforceEmulatorOptions.DemoData"/> is set.
    /// </summary>
    public SalesforceEmulator(SalesforceEmulatorOptions? options = null)
    {
        Options = options ?? new SalesforceEmulatorOptions();
        var schema = new OrgSchema(Options.CustomObjects, Options.CustomFields.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));
        if (Options.DemoData is { } demo)
        {
            // The clock is read once: the demo org depends on its date only.
            var asOf = DemoOrgGenerator.AsOf(Options.TimeProvider.GetUtcNow());
            Org = new Org(schema, Options.TimeProvider, DemoOrgGenerator.OrgCreated(asOf));
            DemoOrgGenerator.Generate(Org, demo, asOf);
        }
        else
        {
            Org = new Org(schema, Options.TimeProvider);
        }

        Org.ReplicationLag = Options.ReplicationLag;
        Sessions = new Sessions(Options.TimeProvider, Options.SessionTimeout);
        Usage = new ApiUsage(Options.TimeProvider, Options.DailyApiLimit);
        if (Options.AccessToken is { } token)
        {
            Sessions.AddPermanent(token, Org.AdminUserId);
        }

        // After the org: it seeds the configured users and checks the options before anything is served.
        OAuthServer = new OAuthServer(Options.OAuth, this);

        // After the demo data and the seeded users: the org's own seeding publishes no change events.
        PubSub = new PubSubBus(Org, Options.TimeProvider, Options.PlatformEvents, Options.ChangeEventOverflowThreshold, Options.ManagedEventSubscriptions);

        // Every handler reaches the org through IEmulatorHost (RequestContext.Host); the state that belongs to a feature
        // (the fault injector and request log, the OAuth server, the Bulk jobs, the Apex REST registry) is handed to the
        // endpoints that use it here, so no feature names this class.
        new ControlEndpoints(Faults, Log).Map(_router);
        ListViewEndpoints.Map(_router);
        LayoutEndpoints.Map(_router);
        QuickActionEndpoints.Map(_router);
        RestEndpoints.Map(_router);
        new OAuthEndpoints(OAuthServer).Map(_router);
        CompositeEndpoints.Map(_router);
        new IngestEndpoints(Bulk).Map(_router);
        new QueryJobEndpoints(Bulk).Map(_router);
        new BulkV1Endpoints(Bulk).Map(_router);
        new PartnerEndpoint(OAuthServer).Map(_router);
        QueryEndpoints.Map(_router);
        ToolingEndpoints.Map(_router);
        new ApexRestEndpoints(ApexRest).Map(_router);
    }

    /// <summary>The options the org was made with.</summary>
    public SalesforceEmulatorOptions Options { get; }

    /// <summary>
    /// The org's instance URL: where <see cref="ListenAsync"/> listens, or <c>https://emulator.my.salesforce.com</c> when
    /// served in-process (the in-process handler answers whatever host a request names).
    /// </summary>
    public Uri InstanceUrl { get; private set; } = new("https://emulator.my.salesforce.com");

    internal Org Org { get; }

    /// <summary>When the org started: the schema has not changed since (describe's If-Modified-Since).</summary>
    internal DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    internal Sessions Sessions { get; }

    /// <summary>The Pub/Sub API's event bus, topics and change capture (PubSub/).</summary>
    internal PubSubBus PubSub { get; }

    internal ApiUsage Usage { get; }

    /// <summary>The org's authorization server (the OAuth endpoints and SOAP login use it).</summary>
    internal OAuthServer OAuthServer { get; }

    internal FaultInjector Faults { get; } = new();

    /// <summary>The Bulk API jobs (the ingest, query and Bulk API 1.0 endpoints share their ids).</summary>
    internal BulkJobs Bulk { get; } = new();

    internal RequestLog Log { get; } = new();

    Org IEmulatorHost.Org => Org;

    Sessions IEmulatorHost.Sessions => Sessions;

    ApiUsage IEmulatorHost.Usage => Usage;

    PubSubBus IEmulatorHost.PubSub => PubSub;

    TimeProvider IEmulatorHost.TimeProvider => Options.TimeProvider;

    DateTimeOffset IEmulatorHost.StartedAt => StartedAt;

    FaultInjector IHostedEmulator.Faults => Faults;

    string? IHostedEmulator.PubSubUrl => Options.PubSubUrl;

    TimeSpan IHostedEmulator.PubSubKeepAlive => Options.PubSubKeepAlive;

    /// <summary>Makes the next matching requests fail (or slow down) the way Salesforce can; see <see cref="EmulatorFault"/>.</summary>
    public void InjectFault(EmulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        Faults.Add(fault);
    }

    /// <summary>Removes every fault still waiting.</summary>
    public void ClearFaults() => Faults.Clear();

    void IHostedEmulator.ServedAt(Uri instanceUrl) => InstanceUrl = instanceUrl;

    Task<EmulatorResponse> IHostedEmulator.HandleAsync(EmulatorRequest request, CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    EmulatorResponse IEmulatorHost.Dispatch(EmulatorRequest request, string? userId) => Dispatch(request, userId);

    /// <summary>A handler that serves the org in-process: give it to an <see cref="HttpClient"/>.</summary>
    public HttpMessageHandler CreateHandler() => new EmulatorHandler(this);

    /// <summary>Serves the org over HTTP (Kestrel) until the returned host is disposed.</summary>
    /// <param name="url">Where to listen; port 0 picks a free port. <c>http://127.0.0.1:0</c> by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public Task<EmulatorServer> ListenAsync(string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default) =>
        EmulatorServer.StartAsync(this, url, cancellationToken);

    /// <summary>
    /// Runs one request: an injected fault first, then routing, authentication, the API counter and the handler; the
    /// request is logged for <c>/__emulator/stats</c>.
    /// </summary>
    internal async Task<EmulatorResponse> HandleAsync(EmulatorRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var match = _router.Match(request.Method, request.Path, out var methodNotAllowed);
        var routeName = match is { } m ? $"{m.Route.Method} {m.Route.Pattern}" : "(no route)";
        var fault = request.Path.StartsWith("/__emulator/", StringComparison.Ordinal) ? null : Faults.Take(request.Method, request.Path);
        EmulatorResponse response;
        if (fault?.Kind == FaultKind.Latency)
        {
            await Task.Delay(fault.Latency, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        response = fault?.Kind switch
        {
            FaultKind.RateLimit => FaultResponse(429, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", fault.RetryAfter),
            FaultKind.Unavailable => FaultResponse(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable, please try again later.", null),
            FaultKind.UnableToLockRow => FaultResponse(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records", null),
            FaultKind.DropConnection => EmulatorResponse.Dropped,
            FaultKind.DropResponse => HandleThenDrop(request, match, methodNotAllowed),
            _ => Handle(request, match, methodNotAllowed),
        };

        Log.Add(new LoggedRequest(Options.TimeProvider.GetUtcNow(), request.Method, request.Path, response.Status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, fault?.Kind.ToString()), routeName);
        return response;
    }

    /// <summary>Carries the request out, then loses its response: the write happened, the client never hears of it.</summary>
    private EmulatorResponse HandleThenDrop(EmulatorRequest request, (Route Route, Dictionary<string, string> Values)? match, bool methodNotAllowed)
    {
        _ = Handle(request, match, methodNotAllowed);
        return EmulatorResponse.Dropped;
    }

    private static EmulatorResponse FaultResponse(int status, string code, string message, TimeSpan? retryAfter)
    {
        var response = EmulatorResponse.Error(new ApiException(status, code, message));
        if (retryAfter is { } delay)
        {
            response.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return response;
    }

    private EmulatorResponse Handle(EmulatorRequest request, (Route Route, Dictionary<string, string> Values)? match, bool methodNotAllowed)
    {
        if (match is not { } found)
        {
            return methodNotAllowed
                ? EmulatorResponse.Error(new ApiException(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{request.Method}' not allowed. Allowed are GET,PATCH,DELETE,HEAD,POST"))
                : EmulatorResponse.Error(ApiException.NotFound());
        }

        var (route, values) = found;
        decimal version = 0;
        if (values.TryGetValue("version", out var versionText) && !ApiVersions.TryParse(versionText, out version))
        {
            return EmulatorResponse.Error(ApiException.NotFound());
        }

        string? userId = null;
        if (!route.Anonymous)
        {
            var session = Sessions.Find(request.BearerToken());
            if (session is null)
            {
                return EmulatorResponse.Error(new ApiException(401, "INVALID_SESSION_ID", "Session expired or invalid"));
            }

            userId = session.UserId;
        }

        var counted = !route.Anonymous && request.Path.StartsWith("/services/data/", StringComparison.OrdinalIgnoreCase);
        var used = 0;
        if (counted && !Usage.TryCount(out used))
        {
            var refused = EmulatorResponse.Error(new ApiException(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
            refused.Headers["Sforce-Limit-Info"] = $"api-usage={Usage.Used}/{Usage.Limit}";
            return refused;
        }

        var response = Run(route, values, request, version, userId);
        if (counted)
        {
            response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{Usage.Limit}";
        }

        return response;
    }

    /// <summary>
    /// Runs a subrequest of a composite call as the caller: routing and the handler only; the composite call itself was
    /// authenticated and counted once.
    /// </summary>
    internal EmulatorResponse Dispatch(EmulatorRequest request, string? userId)
    {
        var match = _router.Match(request.Method, request.Path, out var methodNotAllowed);
        if (match is not { } found || found.Route.Anonymous)
        {
            return methodNotAllowed
                ? EmulatorResponse.Error(new ApiException(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{request.Method}' not allowed."))
                : EmulatorResponse.Error(ApiException.NotFound());
        }

        decimal version = 0;
        if (found.Values.TryGetValue("version", out var versionText) && !ApiVersions.TryParse(versionText, out version))
        {
            return EmulatorResponse.Error(ApiException.NotFound());
        }

        return Run(found.Route, found.Values, request, version, userId);
    }

    private EmulatorResponse Run(Route route, Dictionary<string, string> values, EmulatorRequest request, decimal version, string? userId)
    {
        // One request is one transaction: its writes commit together and publish their change events together.
        lock (Org.SyncRoot)
        {
            var savepoint = Org.Savepoint();
            var origin = ChangeCapture.Origin;
            ChangeCapture.Origin ??= ChangeCapture.OriginOf(request.Path);
            try
            {
                return route.Handler(new RequestContext(request, values, this) { ApiVersion = version, UserId = userId });
            }
            catch (ApiException e)
            {
                return EmulatorResponse.Error(e);
            }
            finally
            {
                Org.Commit(savepoint);
                ChangeCapture.Origin = origin;
            }
        }
    }
}
