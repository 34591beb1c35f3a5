// The endpoint pack as a web API.
//
//   dotnet run --project samples/Atom.Salesforce.Samples.WebApi -- --urls http://127.0.0.1:5080
//
// Nothing configured: the emulator's demo org in-process, tokens in memory, and a development user already
// connected and signed in on every request (emulator mode only). SALESFORCE_CLIENT_ID (and the other SALESFORCE_*
// variables) set: a real org, users sign in with a cookie (/signin, Development environment only) and connect at
// /api/salesforce/enhanced/oauth/authorize. DB_HOST (and DB_*) set: tokens in PostgreSQL, encrypted with the keys of
// Salesforce:TokenStore:Encryption.
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Atom.Salesforce.Client.AspNetCore.Configuration;
using Atom.Salesforce.Client.AspNetCore.DependencyInjection;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Atom.Salesforce.Samples.WebApi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var useEmulator = string.IsNullOrWhiteSpace(configuration["SALESFORCE_CLIENT_ID"]);

SalesforceEmulator? emulator = null;
ISalesforceBuilder salesforce;
if (useEmulator)
{
    // In-process: no port, no network; the SDK's HTTP pipelines (REST, OAuth, the SOAP convert) end in the emulator.
    emulator = new SalesforceEmulator(new SalesforceEmulatorOptions
    {
        DemoData = new DemoDataOptions(),
        // A real org's 15,000 a day would stop a load run or a long session against the demo org; Emulator:DailyApiLimit sets it.
        DailyApiLimit = configuration.GetValue("Emulator:DailyApiLimit", 10_000_000),
    });
    salesforce = builder.Services
        .AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.ClientSecret = "emulator-secret";
            o.LoginUrl = emulator.InstanceUrl;
        })
        .ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler))
        .AddEndpoints();
    builder.Services.AddAuthentication(DevelopmentUserAuthenticationHandler.SchemeName)
        .AddScheme<AuthenticationSchemeOptions, DevelopmentUserAuthenticationHandler>(DevelopmentUserAuthenticationHandler.SchemeName, null);
}
else
{
    salesforce = builder.Services.AddAtomSalesforceFromEnvironment(configuration);
    builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
}

if (SalesforceEnvironmentConfiguration.DatabaseConnectionString(configuration) is { } connectionString)
{
    salesforce.AddPostgresTokenStore(o =>
    {
        o.ConnectionString = connectionString;
        o.MigrateOnStart = true;
    });
}

if (emulator is not null)
{
    // The development user is connected from the start (the emulator's permanent token, stored like any other). Registered
    // after the token store: hosted services start in order, so the PostgreSQL store's migrations (MigrateOnStart) have
    // created its tables before this first write, on a new database too.
    builder.Services.AddHostedService(sp => new DevelopmentUserConnection(sp.GetRequiredService<ITokenStore>(), emulator));
}

salesforce.AddAnalytics();
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapAtomSalesforce();
app.MapHealthChecks("/healthz");
app.MapGet("/", () => Results.Redirect("/api/salesforce/enhanced/openapi.json"));

if (!useEmulator && app.Environment.IsDevelopment())
{
    // A stand-in for the app's own sign-in, for trying the OAuth connect flow against a real org in development.
    app.MapGet("/signin", async (HttpContext http, string user) =>
    {
        await http.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], CookieAuthenticationDefaults.AuthenticationScheme)));
        return Results.Redirect("/api/salesforce/enhanced/oauth/authorize");
    });
}

if (emulator is not null)
{
    Console.WriteLine($"Emulator demo org (in-process); development user_id: {DevelopmentUserAuthenticationHandler.UserId} (signed in on every request, emulator mode only)");
}

Console.WriteLine("OpenAPI document: /api/salesforce/enhanced/openapi.json");
await app.RunAsync();

namespace Atom.Salesforce.Samples.WebApi
{
    /// <summary>Names the sample's assembly for WebApplicationFactory in the tests (another sample's Program would clash).</summary>
    public sealed class WebApiSample;
}
