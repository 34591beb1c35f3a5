using Atom.Salesforce.Emulator.Auth;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Emulator.Hosting;
using Atom.Salesforce.Emulator.Http;
using Atom.Salesforce.Emulator.Rest;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Emulator;

/// <summary>
/// An offline Salesforce org. Serve it in-process with <see cref="CreateHandler"/> (fast tests) or over real HTTP with
/// <see cref="ListenAsync"/>; the executable does the latter from the command line. Any client configured with its URL
/// and <see cref="SalesforceEmulatorOptions.AccessToken"/> talks to it as to a real org.
/// </summary>
public sealed class SalesforceEmulator
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
        Org = new Org(schema, Options.TimeProvider);
        if (Options.DemoData is { } demo)
        {
            DemoOrgGenerator.Generate(Org, demo);
        }

        Sessions = new Sessions(Options.TimeProvider, Options.SessionTimeout);
        Usage = new ApiUsage(Options.TimeProvider, Options.DailyApiLimit);
        if (Options.AccessToken is { } token)
        {
            Sessions.AddPermanent(token, Org.AdminUserId);
        }

        RestEndpoints.Map(_router);
    }

    /// <summary>The options the org was made with.</summary>
    public SalesforceEmulatorOptions Options { get; }

    /// <summary>
    /// The org's instance URL: where <see cref="ListenAsync"/> listens, or <c>https://emulator.my.salesforce.com</c> when
    /// served in-process (the in-process handler answers whatever host a request names).
    /// </summary>
    public Uri InstanceUrl { get; internal set; } = new("https://emulator.my.salesforce.com");

    internal Org Org { get; }

    /// <summary>When the org started: the schema has not changed since (describe's If-Modified-Since).</summary>
    internal DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    internal Sessions Sessions { get; }

    internal ApiUsage Usage { get; }

    /// <summary>A handler that serves the org in-process: give it to an <see cref="HttpClient"/>.</summary>
    public HttpMessageHandler CreateHandler() => new EmulatorHandler(this);

    /// <summary>Serves the org over HTTP (Kestrel) until the returned host is disposed.</summary>
    /// <param name="url">Where to listen; port 0 picks a free port. <c>http://127.0.0.1:0</c> by default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public Task<EmulatorServer> ListenAsync(string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default) =>
        EmulatorServer.StartAsync(this, url, cancellationToken);

    /// <summary>Runs one request through routing, authentication, the API counter and the handler.</summary>
    internal EmulatorResponse Handle(EmulatorRequest request)
    {
        var match = _router.Match(request.Method, request.Path, out var methodNotAllowed);
        if (match is not { } found)
        {
            return methodNotAllowed
                ? EmulatorResponse.Error(new ApiException(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{request.Method}' not allowed. Allowed are GET,PATCH,DELETE,HEAD,POST"))
                : EmulatorResponse.Error(ApiException.NotFound());
        }

        var (route, values) = found;
        decimal version = 0;
        if (values.TryGetValue("version", out var versionText) && !RestEndpoints.TryParseVersion(versionText, out version))
        {
            return EmulatorResponse.Error(ApiException.NotFound());
        }

        string? userId = null;
        if (!route.Anonymous)
        {
            var session = Sessions.Find(BearerToken(request));
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

        EmulatorResponse response;
        try
        {
            response = route.Handler(new RequestContext(request, values, this) { ApiVersion = version, UserId = userId });
        }
        catch (ApiException e)
        {
            response = EmulatorResponse.Error(e);
        }

        if (counted)
        {
            response.Headers["Sforce-Limit-Info"] = $"api-usage={used}/{Usage.Limit}";
        }

        return response;
    }

    private static string? BearerToken(EmulatorRequest request)
    {
        var header = request.Header("Authorization");
        if (header is null)
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return null;
        }

        var scheme = header[..space];
        return scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("OAuth", StringComparison.OrdinalIgnoreCase)
            ? header[(space + 1)..].Trim()
            : null;
    }
}
