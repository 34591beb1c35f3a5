using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web API sample with <c>DB_*</c> set enables webhooks: started as its own process (Development environment, whose
/// settings allow a receiver on loopback over http), a webhook registered through its <c>webhooks/create</c> route receives
/// the change of an account created through its <c>accounts/create</c> route, signed per Standard Webhooks with the secret
/// the route answered (verified here from the specification: HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>
/// with the base64 key after <c>whsec_</c>).
/// </summary>
public sealed class WebApiSampleWebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_DB_set_a_webhook_registered_through_the_route_receives_a_signed_change_of_an_account_created_through_the_API()
    {
        var received = new ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, string Body)>();
        await using var receiver = await StartReceiverAsync(received);
        // The webhook options from configuration: quick polling for the test, the rest from appsettings.Development.json.
        await using var sample = await WebApiSampleOnDatabase.StartAsync(
            "atom_sample_hooks_", new Dictionary<string, string?> { ["Salesforce__Webhooks__PollInterval"] = "00:00:00.200" }, Ct);
        var http = sample.Http;

        var webhook = await PostAsync(http, "webhooks/create", new { target_url = receiver.Url + "sample", objects = new[] { "Account" } });
        var secret = webhook.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // The subscription starts at the newest event once the app is up: a change made before it is in place is not
        // delivered, so accounts are created until one is (the first, unless the machine is slow).
        string? id = null;
        (IReadOnlyDictionary<string, string> Headers, string Body)? delivery = null;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        for (var n = 1; delivery is null; n++)
        {
            Assert.True(DateTime.UtcNow < deadline, "No webhook arrived within two minutes. " + sample.Errors);
            id = (await PostAsync(http, "accounts/create", new { account_data = new { Name = $"Webhook sample {n}" } })).GetProperty("id").GetString()!;
            var until = DateTime.UtcNow.AddSeconds(10);
            while (delivery is null && DateTime.UtcNow < until)
            {
                delivery = received.FirstOrDefault(r => r.Body.Contains(id, StringComparison.Ordinal)) is { Body: not null } found ? found : null;
                await Task.Delay(100, Ct);
            }
        }

        var (headers, body) = delivery.Value;
        Assert.True(Verify(secret, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], body), body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Account.CREATE", json.GetProperty("type").GetString());
        Assert.Contains(id, json.GetProperty("data").GetProperty("record_ids").EnumerateArray().Select(x => x.GetString()));

        // The endpoint's state, as its owner sees it.
        var list = await PostAsync(http, "webhooks/list", new { });
        var entry = Assert.Single(list.GetProperty("webhooks").EnumerateArray());
        Assert.Equal(webhook.GetProperty("id").GetString(), entry.GetProperty("id").GetString());
        Assert.Equal("active", entry.GetProperty("status").GetString());
    }

    /// <summary>Standard Webhooks verification, from the specification: any <c>v1,</c> entry of the signature header may match.</summary>
    private static bool Verify(string secret, string id, string timestamp, string signatures, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string route, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/salesforce/enhanced/" + route, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    private static async Task<Receiver> StartReceiverAsync(ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, string Body)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Receiver(app, address.TrimEnd('/') + "/");
    }

    private sealed class Receiver(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
