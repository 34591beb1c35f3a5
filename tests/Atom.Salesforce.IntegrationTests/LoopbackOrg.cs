using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// A small Salesforce stand-in on a real loopback socket: OAuth (authorize with PKCE, code, refresh and JWT bearer grants,
/// revoke, userinfo), paged queries (gzipped when asked), a record
/// endpoint that can fail on demand, and the raw request targets it saw. Only what these tests need; the full offline org
/// is the emulator's job.
/// </summary>
internal sealed class LoopbackOrg : IAsyncDisposable
{
    public const string ExpiredToken = "00Dloop!expired";
    public const string FreshToken = "00Dloop!fresh";
    public const string RefreshToken = "5Aeploop";

    private readonly WebApplication _app;

    private LoopbackOrg(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int TotalRecords { get; set; } = 5000;

    public int PageSize { get; set; } = 2000;

    public int TokenCalls;

    public int TransientFailuresLeft;

    public ConcurrentQueue<string> RawTargets { get; } = new();

    public ConcurrentQueue<string> AcceptEncodings { get; } = new();

    /// <summary>The grant type of every token request, in order.</summary>
    public ConcurrentQueue<string> Grants { get; } = new();

    /// <summary>Every token sent to the revoke endpoint.</summary>
    public ConcurrentQueue<string> RevokedTokens { get; } = new();

    /// <summary>The key that verifies JWT bearer assertions; the flow is refused while it is null.</summary>
    public System.Security.Cryptography.RSA? JwtPublicKey { get; set; }

    public string? LastJwtSubject { get; private set; }

    private ConcurrentDictionary<string, (string Challenge, string RedirectUri)> PendingCodes { get; } = new();

    /// <summary>A code is good once, for the redirect URI it was issued to, with the verifier of its challenge.</summary>
    private string? CheckCode(IFormCollection form)
    {
        if (!PendingCodes.TryRemove(form["code"].ToString(), out var pending) || form["client_id"] != "loop-client")
        {
            return "invalid authorization code";
        }

        if (form["redirect_uri"] != pending.RedirectUri)
        {
            return "redirect_uri mismatch";
        }

        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return challenge == pending.Challenge ? null : "invalid code verifier";
    }

    /// <summary>RS256 signature, issuer, audience and an expiry at most three minutes ahead, as Salesforce checks them.</summary>
    private string? CheckAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (JwtPublicKey is null || parts.Length != 3)
        {
            return "invalid assertion";
        }

        static byte[] Decode(string part)
        {
            var base64 = part.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
        }

        if (!JwtPublicKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Decode(parts[2]),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1))
        {
            return "invalid assertion signature";
        }

        using var header = System.Text.Json.JsonDocument.Parse(Decode(parts[0]));
        using var payload = System.Text.Json.JsonDocument.Parse(Decode(parts[1]));
        var claims = payload.RootElement;
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        if (header.RootElement.GetProperty("alg").GetString() != "RS256"
            || claims.GetProperty("iss").GetString() != "loop-client"
            || claims.GetProperty("aud").GetString() != BaseUrl.ToString().TrimEnd('/')
            || exp < DateTimeOffset.UtcNow || exp > DateTimeOffset.UtcNow.AddMinutes(3).AddSeconds(5))
        {
            return "invalid assertion claims";
        }

        LastJwtSubject = claims.GetProperty("sub").GetString();
        return null;
    }

    public static async Task<LoopbackOrg> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackOrg? org = null;

        app.Use(async (context, next) =>
        {
            org!.RawTargets.Enqueue(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
            org.AcceptEncodings.Enqueue(context.Request.Headers.AcceptEncoding.ToString());
            if (context.Request.Path.StartsWithSegments("/services/data"))
            {
                var auth = context.Request.Headers.Authorization.ToString();
                if (auth != "Bearer " + FreshToken)
                {
                    context.Response.StatusCode = 401;
                    await context.Response.WriteAsync("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""");
                    return;
                }

                context.Response.Headers["Sforce-Limit-Info"] = "api-usage=42/15000";
            }

            await next(context);
        });

        app.MapGet("/services/oauth2/authorize", context =>
        {
            var query = context.Request.Query;
            if (query["response_type"] != "code" || query["client_id"] != "loop-client" || query["code_challenge_method"] != "S256")
            {
                context.Response.StatusCode = 400;
                return Task.CompletedTask;
            }

            // The user logged in and approved: back to the app with a one-time code bound to the PKCE challenge.
            var code = "aPrxLOOP" + Guid.NewGuid().ToString("N");
            org!.PendingCodes[code] = (query["code_challenge"].ToString(), query["redirect_uri"].ToString());
            context.Response.Redirect($"{query["redirect_uri"]}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(query["state"].ToString())}");
            return Task.CompletedTask;
        });

        app.MapPost("/services/oauth2/token", async context =>
        {
            Interlocked.Increment(ref org!.TokenCalls);
            var form = await context.Request.ReadFormAsync();
            org.Grants.Enqueue(form["grant_type"].ToString());
            var error = form["grant_type"].ToString() switch
            {
                "refresh_token" when form["refresh_token"] == RefreshToken && form["client_id"] == "loop-client" => null,
                "authorization_code" => org.CheckCode(form),
                "urn:ietf:params:oauth:grant-type:jwt-bearer" => org.CheckAssertion(form["assertion"].ToString()),
                _ => "expired access/refresh token",
            };
            if (error is not null)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = error });
                return;
            }

            await Task.Delay(100);
            var response = new Dictionary<string, string>
            {
                // A new code grant gets a session that has already expired, so that the first call also exercises a refresh.
                ["access_token"] = form["grant_type"] == "authorization_code" ? ExpiredToken : FreshToken,
                ["instance_url"] = org.BaseUrl.ToString().TrimEnd('/'),
                ["id"] = org.BaseUrl + "id/00Dloop/005loop",
                ["issued_at"] = "1733000000000",
                ["token_type"] = "Bearer",
            };
            if (form["grant_type"] == "authorization_code")
            {
                response["refresh_token"] = RefreshToken;
            }

            await context.Response.WriteAsJsonAsync(response);
        });

        app.MapPost("/services/oauth2/revoke", async context =>
        {
            var form = await context.Request.ReadFormAsync();
            org!.RevokedTokens.Enqueue(form["token"].ToString());
        });

        app.MapGet("/services/oauth2/userinfo", async context =>
        {
            if (context.Request.Headers.Authorization != "Bearer " + FreshToken)
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("Bad_OAuth_Token");
                return;
            }

            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["sub"] = org!.BaseUrl + "id/00Dloop/005loop",
                ["user_id"] = "005loop",
                ["organization_id"] = "00Dloop",
                ["preferred_username"] = org.LastJwtSubject ?? "loop@example.com",
                ["active"] = true,
            });
        });

        app.MapGet("/services/data/v66.0/query/", context => org!.WritePageAsync(context, 0));
        app.MapGet("/services/data/v66.0/query/{locator}", context =>
        {
            var locator = (string)context.Request.RouteValues["locator"]!;
            return org!.WritePageAsync(context, int.Parse(locator[(locator.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        });

        app.MapGet("/services/data/v66.0/sobjects/Account/{id}", async context =>
        {
            if (Interlocked.Decrement(ref org!.TransientFailuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "0";
                await context.Response.WriteAsync("""[{"message":"Server unavailable","errorCode":"SERVER_UNAVAILABLE"}]""");
                return;
            }

            await context.Response.WriteAsync($$"""{"attributes":{"type":"Account"},"Id":"{{context.Request.RouteValues["id"]}}","Name":"Acme"}""");
        });

        app.MapMethods("/services/data/v66.0/sobjects/Account/Ext_Id__c/{**value}", ["PATCH"], async context =>
        {
            context.Response.StatusCode = 201;
            await context.Response.WriteAsync("""{"id":"001000000000001AAA","success":true,"errors":[],"created":true}""");
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        org = new LoopbackOrg(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return org;
    }

    private async Task WritePageAsync(HttpContext context, int from)
    {
        var count = Math.Min(PageSize, TotalRecords - from);
        var next = from + count < TotalRecords ? $",\"nextRecordsUrl\":\"/services/data/v66.0/query/01gLOOP-{from + count}\"" : string.Empty;
        var json = new StringBuilder($"{{\"totalSize\":{TotalRecords},\"done\":{(next.Length == 0 ? "true" : "false")}{next},\"records\":[");
        for (var i = from; i < from + count; i++)
        {
            json.Append(i > from ? "," : string.Empty)
                .Append($$"""{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001LOOP{{i:D8}}AAA"},"Id":"001LOOP{{i:D8}}AAA","Name":"Account {{i}}","CreatedDate":"2024-05-20T20:49:32.000+0000"}""");
        }

        json.Append("]}");
        context.Response.ContentType = "application/json;charset=UTF-8";
        var bytes = Encoding.UTF8.GetBytes(json.ToString());
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.Ordinal))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(bytes);
        }
        else
        {
            await context.Response.Body.WriteAsync(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
