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
/// A small Salesforce stand-in on a real loopback socket: OAuth refresh, paged queries (gzipped when asked), a record
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

        app.MapPost("/services/oauth2/token", async context =>
        {
            Interlocked.Increment(ref org!.TokenCalls);
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken || form["client_id"] != "loop-client")
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":"invalid_grant","error_description":"expired access/refresh token"}""");
                return;
            }

            await Task.Delay(100);
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["access_token"] = FreshToken,
                ["instance_url"] = org.BaseUrl.ToString().TrimEnd('/'),
                ["id"] = org.BaseUrl + "id/00Dloop/005loop",
                ["issued_at"] = "1733000000000",
                ["token_type"] = "Bearer",
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
