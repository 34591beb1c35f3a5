// The endpoint pack as a web API.
//
//   dotnet run --project samples/Atom.Salesforce.Samples.WebApi -- --urls http://127.0.0.1:5080
//
// Open http://127.0.0.1:5080/ for the API page: every route with its documented example body, sent from the browser.
//
// Nothing configured: the emulator's demo org in-process, tokens in memory, and a development user (user123, the user the
// documented example bodies name) already connected and signed in on every request (emulator mode only). SALESFORCE_CLIENT_ID (and the other SALESFORCE_*
// variables) set: a real org, users sign in with a cookie (/signin, Development environment only) and connect at
// /api/salesforce/enhanced/oauth/authorize. DB_HOST (and DB_*) set: tokens in PostgreSQL, encrypted with the keys of
// Salesforce:TokenStore:Encryption.
//
// Live changes: every change of the org is printed as it happens ("Live change: UPDATE Opportunity [006...] changed fields
// [StageName, ...]"), read through the Pub/Sub API by the hosted change event consumer (LiveChangeLogger). Against the
// emulator its Pub/Sub API listens on a loopback port; against a real org set LIVE_CHANGES_USER_ID to the connected user
// (an integration user) whose token the subscription uses.
//
// Webhooks (with DB_* set: endpoints and their outbox live in PostgreSQL): POST /api/salesforce/enhanced/webhooks/create
// {"target_url": "https://...", "objects": ["Account"]} registers an endpoint for the signed-in user and answers its signing
// secret; every change of those objects (the pack's: Account, Contact, Opportunity, Lead) is then posted to it, signed per
// Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), retried from the outbox until delivered (the same
// webhook-id on every attempt, for the receiver to deduplicate). webhooks/list shows each endpoint's state. The options come
// from the Salesforce:Webhooks configuration section (appsettings.json, or the environment: Salesforce__Webhooks__MaxAttempts=...);
// in the Development environment appsettings.Development.json allows http and loopback targets, so that a receiver on this
// machine (http://127.0.0.1:PORT/...) can be tried; elsewhere targets must be https URLs of public addresses.
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Atom.Salesforce.Client.AspNetCore.Configuration;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Consumer;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Samples.WebApi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var useEmulator = string.IsNullOrWhiteSpace(configuration["SALESFORCE_CLIENT_ID"]);

SalesforceEmulator? emulator = null;
Uri? emulatorInstanceUrl = null;
EmulatorPubSubListener? pubSubListener = null;
var demoExamples = new DemoOrgExamples();
ISalesforceBuilder salesforce;
if (useEmulator)
{
    // In-process: no port, no network; the SDK's HTTP pipelines (REST, OAuth, the SOAP convert) end in the emulator.
    emulator = new SalesforceEmulator(new SalesforceEmulatorOptions
    {
        DemoData = new DemoDataOptions(),
        // A real org's 15,000 a day would stop a load run or a long session against the demo org; Emulator:DailyApiLimit sets it.
        DailyApiLimit = configuration.GetValue("Emulator:DailyApiLimit", 10_000_000),
        // The Pub/Sub API's address must be known before the app starts (the Pub/Sub client's options are validated then).
        PubSubUrl = EmulatorPubSubListener.FreeLoopbackUrl(),
    });

    // The in-process org's https address, kept: serving the Pub/Sub API below moves the emulator's own to the loopback port.
    emulatorInstanceUrl = emulator.InstanceUrl;

    // The Pub/Sub API is gRPC over HTTP/2: the emulator serves it on a loopback port once the app starts (its REST API
    // stays in-process below).
    pubSubListener = new EmulatorPubSubListener(emulator);
    builder.Services.AddHostedService(_ => pubSubListener);
    salesforce = builder.Services
        .AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.ClientSecret = "emulator-secret";
            o.LoginUrl = emulatorInstanceUrl;
        })
        .ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
        .AddEndpoints(o => o.ConfigureOpenApiDocument = document =>
        {
            document["info"]!["description"] = document["info"]!["description"]!.GetValue<string>()
                + "\n\n**This sample runs against the emulator's demo org**: every request is signed in as the development user "
                + $"`{DevelopmentUserAuthenticationHandler.UserId}` (the user the documented example bodies name), already connected, so each "
                + "route's example can be sent as it is (opportunities/create names an account of the demo org). To act as someone else, "
                + "open `/signin?user=NAME` (the cookie scheme below; that user has no Salesforce connection, so routes answer 401) and "
                + "`/signout` to come back.";
            demoExamples.Apply(document);
        });
    // A request signed in with the cookie (/signin?user=...) is that user; any other is the development user, already
    // connected, so that the page at / and curl work with no sign-in. The cookie scheme is what the OpenAPI document
    // describes (securitySchemes), as with a real org.
    builder.Services.AddAuthentication(DevelopmentUserAuthenticationHandler.PolicySchemeName)
        .AddPolicyScheme(DevelopmentUserAuthenticationHandler.PolicySchemeName, "Cookie sign-in, else the development user", o => o.ForwardDefaultSelector =
            http => http.Request.Cookies.ContainsKey(DevelopmentUserAuthenticationHandler.CookieName)
                ? CookieAuthenticationDefaults.AuthenticationScheme
                : DevelopmentUserAuthenticationHandler.SchemeName)
        .AddCookie()
        .AddScheme<AuthenticationSchemeOptions, DevelopmentUserAuthenticationHandler>(DevelopmentUserAuthenticationHandler.SchemeName, null);
}
else
{
    salesforce = builder.Services.AddAtomSalesforceFromEnvironment(configuration);
    builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
}

var useDatabase = false;
if (SalesforceEnvironmentConfiguration.DatabaseConnectionString(configuration) is { } connectionString)
{
    useDatabase = true;
    salesforce.AddPostgresTokenStore(o =>
    {
        o.ConnectionString = connectionString;
        o.MigrateOnStart = true;
    });

    // Webhooks: the routes, and the delivery worker posting the outbox; options from the Salesforce:Webhooks section.
    salesforce.AddWebhooks();
}

if (emulator is not null)
{
    // The development user is connected from the start (the emulator's permanent token, stored like any other). Registered
    // after the token store: hosted services start in order, so the PostgreSQL store's migrations (MigrateOnStart) have
    // created its tables before this first write, on a new database too.
    builder.Services.AddHostedService(sp => new DevelopmentUserConnection(
        sp.GetRequiredService<ITokenStore>(), emulator, sp.GetRequiredService<ISalesforceClientFactory>(), sp.GetRequiredService<ISalesforceOAuth>(), demoExamples, emulatorInstanceUrl!));
}

salesforce.AddAnalytics();

// Live changes: the hosted consumer subscribes to every object's change events and hands each to LiveChangeLogger.
var liveChangesUser = emulator is not null ? DevelopmentUserAuthenticationHandler.UserId : configuration["LIVE_CHANGES_USER_ID"];
if (!string.IsNullOrWhiteSpace(liveChangesUser))
{
    salesforce.AddPubSub(o =>
    {
        if (pubSubListener is not null)
        {
            o.Endpoint = pubSubListener.PubSubAddress;
        }
    });
    var changeEvents = builder.Services.AddAtomSalesforceChangeEvents(o => o.UserId = liveChangesUser)
        .AddHandler<SObject, LiveChangeLogger>("/data/ChangeEvents");
    if (useDatabase)
    {
        // The webhooks' outbox is fed by the change events of the pack's objects. A topic has one handler, and
        // /data/ChangeEvents is LiveChangeLogger's, so the webhooks read each object's own channel.
        foreach (var objectName in (string[])["Account", "Contact", "Opportunity", "Lead"])
        {
            changeEvents.AddWebhooks($"/data/{objectName}ChangeEvent");
        }

        if (emulator is null)
        {
            // Against a real org the replay id is committed in PostgreSQL, so a restart (or another instance) resumes where
            // this one stopped and no change is missed. The in-process emulator's org lives only while the app runs: nothing
            // changes while it is down, and its replay ids start again with it, so there the consumer starts at the newest event.
            changeEvents.UsePostgres();
        }
    }
}
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapAtomSalesforce();
app.MapHealthChecks("/healthz");
app.MapScalarApiReference("/", o => o
    .WithTitle("Atom.Salesforce enhanced endpoints")
    .WithOpenApiRoutePattern(SalesforceEndpointRouteBuilderExtensions.DefaultPrefix + "/openapi.json")
    // Offline and self-contained: the script and styles come from the package; the fonts, the telemetry, the AI chat, the
    // MCP link and the developer toolbar (links to Scalar's cloud) are turned off.
    .DisableDefaultFonts()
    .DisableTelemetry()
    .DisableAgent()
    .DisableMcp()
    .HideDeveloperTools());

if (useEmulator || app.Environment.IsDevelopment())
{
    // A stand-in for the app's own sign-in: against a real org (Development only), for trying the OAuth connect flow; against
    // the emulator, for acting as a user other than the development user (who has no connection: 401 until connected).
    app.MapGet("/signin", async (HttpContext http, string user) =>
    {
        await http.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], CookieAuthenticationDefaults.AuthenticationScheme)));
        return Results.Redirect(useEmulator ? "/" : "/api/salesforce/enhanced/oauth/authorize");
    });
    app.MapGet("/signout", async (HttpContext http) =>
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/");
    });
}

if (emulator is not null)
{
    Console.WriteLine($"Emulator demo org (in-process); development user_id: {DevelopmentUserAuthenticationHandler.UserId} (signed in on every request, emulator mode only)");
    Console.WriteLine("Live changes: every change the org makes is printed below (\"Live change: ...\"), read through the emulator's Pub/Sub API");
}

Console.WriteLine("API page: / (try every route from the browser); OpenAPI document: /api/salesforce/enhanced/openapi.json");
await app.RunAsync();

namespace Atom.Salesforce.Samples.WebApi
{
    /// <summary>Names the sample's assembly for WebApplicationFactory in the tests (another sample's Program would clash).</summary>
    public sealed class WebApiSample;
}
