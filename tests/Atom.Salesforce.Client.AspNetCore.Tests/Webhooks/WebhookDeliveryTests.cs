using System.Text.Json.Nodes;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.AspNetCore.Webhooks;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// Webhooks end to end: a change made through a route of the pack (or any client of the org) is published by the emulator
/// as a change event, read by the hosted consumer, queued in the PostgreSQL outbox and posted to a receiver on loopback,
/// signed per Standard Webhooks; failures are retried and disable the endpoint; stopping the app loses nothing.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private WebhookRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await WebhookRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    /// <summary>The requests <paramref name="path"/> got for record <paramref name="id"/>, once there are <paramref name="count"/>.</summary>
    private Task<List<Received>> ForRecordAsync(string path, string id, int count = 1, string? changeType = null) =>
        Eventually.GetAsync(
            () =>
            {
                var found = _rig.Receiver.To(path)
                    .Where(r => r.Json["data"]!["record_ids"]!.AsArray().Any(x => x!.GetValue<string>() == id)
                        && (changeType is null || r.Json["data"]!["change_type"]!.GetValue<string>() == changeType))
                    .ToList();
                return Task.FromResult(found.Count >= count ? found : null);
            },
            $"{count} webhook(s) at /{path} for {id}");

    private static async Task<string> CreateAccountAsync(WebhookApp app, object data) =>
        (await app.PostAsync("accounts/create", PackHost.Alice, new { account_data = data })).Data.GetProperty("id").GetString()!;

    [Fact]
    public async Task A_change_made_through_a_pack_route_reaches_the_owners_receivers_signed_and_with_only_the_fields_each_can_read()
    {
        var bobSession = await _rig.NewSessionAsync();
        await using var app = await _rig.StartAppAsync(restHandler: () => new HideFieldHandler(bobSession, "Account", "Industry"));
        await app.Services.GetRequiredService<ITokenStore>().SaveAsync(PackHost.Bob, _rig.Token(bobSession), TestContext.Current.CancellationToken);
        var (_, aliceSecret) = await app.CreateAsync(_rig.Receiver, "alice", PackHost.Alice, "Account");
        var (_, bobSecret) = await app.CreateAsync(_rig.Receiver, "bob", PackHost.Bob, "Account");
        await app.CreateAsync(_rig.Receiver, "contacts", PackHost.Alice, "Contact");

        var id = await CreateAccountAsync(app, new { Name = "Webhook Co", Industry = "Energy" });
        await app.PostAsync("accounts/update", PackHost.Alice, new { account_id = id, account_data = new { Industry = "Retail" } });

        var alice = await ForRecordAsync("alice", id, 2);
        var bob = await ForRecordAsync("bob", id, 2);
        var created = alice.Single(r => r.Json["type"]!.GetValue<string>() == "Account.CREATE");
        var updated = alice.Single(r => r.Json["type"]!.GetValue<string>() == "Account.UPDATE");
        Assert.All(alice, r => Assert.True(StandardWebhooksVerifier.Verify(aliceSecret, r), r.Body));
        Assert.All(bob, r => Assert.True(StandardWebhooksVerifier.Verify(bobSecret, r), r.Body));
        Assert.All(bob, r => Assert.False(StandardWebhooksVerifier.Verify(aliceSecret, r)));
        Assert.All(alice.Concat(bob), r => Assert.StartsWith("application/json", r.Header("Content-Type"), StringComparison.Ordinal));
        var data = created.Json["data"]!;
        Assert.Equal(WebhookRig.OrgId, data["org_id"]!.GetValue<string>());
        Assert.Equal("Account", data["object"]!.GetValue<string>());
        Assert.Equal("Webhook Co", data["fields"]!["Name"]!.GetValue<string>());
        Assert.Equal("Energy", data["fields"]!["Industry"]!.GetValue<string>());
        Assert.Contains("Industry", updated.Json["data"]!["changed_fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("Retail", updated.Json["data"]!["fields"]!["Industry"]!.GetValue<string>());

        // Bob's describe lacks Industry (field-level security): his webhooks never carry it, as a value or as a field name.
        Assert.All(bob, r =>
        {
            Assert.False(r.Json["data"]!["fields"]!.AsObject().ContainsKey("Industry"), r.Body);
            Assert.DoesNotContain("Industry", r.Json["data"]!["changed_fields"]!.AsArray().Select(f => f!.GetValue<string>()));
            Assert.DoesNotContain("Energy", r.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Retail", r.Body, StringComparison.Ordinal);
        });
        Assert.Equal("Webhook Co", bob.Single(r => r.Json["type"]!.GetValue<string>() == "Account.CREATE").Json["data"]!["fields"]!["Name"]!.GetValue<string>());

        // An endpoint of another object gets nothing of it; each message has its own id.
        Assert.DoesNotContain(_rig.Receiver.To("contacts"), r => r.Body.Contains(id, StringComparison.Ordinal));
        Assert.Equal(4, alice.Concat(bob).Select(r => r.Header("webhook-id")).Distinct().Count());
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_growing_waits_then_the_endpoint_is_disabled_and_its_owner_sees_why()
    {
        await using var app = await _rig.StartAppAsync(o => o.MaxConsecutiveFailures = 3);
        _rig.Receiver.Answer("down", 500);
        var (endpoint, secret) = await app.CreateAsync(_rig.Receiver, "down", PackHost.Alice, "Account");

        var id = await CreateAccountAsync(app, new { Name = "Unlucky Co" });

        await Eventually.TrueAsync(async () => (await app.EntryAsync(endpoint)).GetProperty("disabled").GetBoolean(), "the endpoint to be disabled");
        var entry = await app.EntryAsync(endpoint);
        var attempts = _rig.Receiver.To("down");
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Header("webhook-id")).Distinct());
        Assert.All(attempts, a => Assert.True(StandardWebhooksVerifier.Verify(secret, a)));
        Assert.Contains(id, attempts[0].Body, StringComparison.Ordinal);
        // Each wait is the doubled retry delay (200 ms, 400 ms) less at most a fifth: never sooner.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(160), $"{attempts[1].At - attempts[0].At}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromMilliseconds(320), $"{attempts[2].At - attempts[1].At}");
        Assert.Equal("disabled", entry.GetProperty("status").GetString());
        Assert.Contains("3 failed deliveries in a row", entry.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("500", entry.GetProperty("last_failure_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, entry.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal(1, entry.GetProperty("pending_deliveries").GetInt64());

        // Nothing more is posted while it is disabled; enabled again, the queued event goes out with its own id.
        _rig.Receiver.Answer("down", 204);
        Assert.True((await app.PostAsync("webhooks/enable", PackHost.Alice, new { webhook_id = endpoint })).Data.GetProperty("enabled").GetBoolean());
        var all = await ForRecordAsync("down", id, 4);
        Assert.Equal(attempts[0].Header("webhook-id"), all[3].Header("webhook-id"));
        await Eventually.TrueAsync(async () => (await app.EntryAsync(endpoint)).GetProperty("pending_deliveries").GetInt64() == 0, "the delivery to be recorded");
        Assert.Equal("active", (await app.EntryAsync(endpoint)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stopping_the_app_loses_nothing_queued_or_published_meanwhile_and_queues_nothing_twice()
    {
        var first = await _rig.StartAppAsync();
        _rig.Receiver.Answer("restart", 503);
        var (endpoint, secret) = await first.CreateAsync(_rig.Receiver, "restart", PackHost.Alice, "Account");
        var before = await CreateAccountAsync(first, new { Name = "Before Co" });
        await Eventually.TrueAsync(() => _rig.Receiver.To("restart").Count > 0, "a failed attempt");
        await first.DisposeAsync();

        // While no instance runs, the org keeps changing; then the receiver recovers and a new instance starts.
        var during = await CreateAccountDirectlyAsync("During Co");
        _rig.Receiver.Answer("restart", 200);
        await using var second = await _rig.StartAppAsync();

        var queued = await ForRecordAsync("restart", before, 2);
        var published = await ForRecordAsync("restart", during);
        Assert.Single(queued.Select(r => r.Header("webhook-id")).Distinct());
        Assert.All(queued.Concat(published), r => Assert.True(StandardWebhooksVerifier.Verify(secret, r)));
        await Eventually.TrueAsync(async () => (await second.EntryAsync(endpoint)).GetProperty("pending_deliveries").GetInt64() == 0, "every delivery recorded");
        // One outbox row per event and endpoint, each delivered once.
        var rows = await _rig.ColumnAsync("SELECT count(*) FROM salesforce_webhook_outbox WHERE endpoint_id = $1 AND delivered_at IS NOT NULL", Guid.Parse(endpoint));
        Assert.Equal(2L, rows.Single());
    }

    [Fact]
    public async Task An_event_received_twice_is_queued_once_per_endpoint()
    {
        await using var app = await _rig.StartAppAsync(o => o.DeliveryEnabled = false);
        var (endpoint, _) = await app.CreateAsync(_rig.Receiver, "twice", PackHost.Alice, "Account");
        var store = app.Services.GetRequiredService<WebhookStore>();
        var message = new OutboxMessage(Guid.Parse(endpoint), "tx:0001-test:1:Account", [1, 2, 3], "Account.UPDATE", "{}");

        var first = await store.EnqueueAsync([message], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        var again = await store.EnqueueAsync([message with { Body = "{\"again\": true}" }], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        Assert.Equal((1, 0), (first, again));
        Assert.Equal(1L, (await _rig.ColumnAsync("SELECT count(*) FROM salesforce_webhook_outbox WHERE endpoint_id = $1", Guid.Parse(endpoint))).Single());
    }

    [Fact]
    public async Task A_target_that_resolves_to_a_refused_address_at_delivery_time_gets_nothing_and_the_list_says_why()
    {
        // Registered while loopback was allowed; delivered by an instance that does not allow it: the connection is refused
        // at connect time, as it would be for a public name that re-resolves to an internal address.
        var permissive = await _rig.StartAppAsync();
        var (endpoint, _) = await permissive.CreateAsync(_rig.Receiver, "internal", PackHost.Alice, "Account");
        await permissive.DisposeAsync();
        await using var strict = await _rig.StartAppAsync(o => o.AllowLoopbackTargets = false);

        await CreateAccountAsync(strict, new { Name = "Internal Co" });

        await Eventually.TrueAsync(async () => (await strict.EntryAsync(endpoint)).GetProperty("last_failure_reason").GetString() is not null, "a refused delivery");
        Assert.Contains("loopback", (await strict.EntryAsync(endpoint)).GetProperty("last_failure_reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(_rig.Receiver.To("internal"));
    }

    [Fact]
    public async Task After_a_secret_rotation_deliveries_carry_a_signature_for_the_old_and_the_new_secret()
    {
        await using var app = await _rig.StartAppAsync();
        var (endpoint, oldSecret) = await app.CreateAsync(_rig.Receiver, "rotating", PackHost.Alice, "Account");
        var newSecret = (await app.PostAsync("webhooks/rotate-secret", PackHost.Alice, new { webhook_id = endpoint })).Data.GetProperty("secret").GetString()!;

        var id = await CreateAccountAsync(app, new { Name = "Rotating Co" });

        var delivered = (await ForRecordAsync("rotating", id)).Single();
        Assert.Equal(2, delivered.Header("webhook-signature").Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(oldSecret, delivered));
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, delivered));
    }

    [Fact]
    public async Task A_change_reaches_an_https_receiver_when_only_https_targets_are_allowed()
    {
        await using var secure = await Receiver.StartAsync(https: true);
        var thumbprint = secure.Certificate!.GetCertHashString();
        await using var app = await _rig.StartAppAsync(o =>
        {
            o.AllowHttpTargets = false;
            // The receiver's self-signed certificate is trusted by this app only.
            o.ConfigureHandler = h => h.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        });
        (await app.PostAsync("webhooks/create", PackHost.Alice, new { target_url = _rig.Receiver.Url("plain"), objects = new[] { "Account" } })).AssertError(400, "INVALID_URL");
        var (_, secret) = await app.CreateAsync(secure, "tls", PackHost.Alice, "Account");
        Assert.StartsWith("https://", secure.Url("tls"), StringComparison.Ordinal);

        var id = await CreateAccountAsync(app, new { Name = "Secure Co" });

        var delivered = await Eventually.GetAsync(
            () => Task.FromResult(secure.To("tls").FirstOrDefault(r => r.Body.Contains(id, StringComparison.Ordinal))), "a webhook over https");
        Assert.True(StandardWebhooksVerifier.Verify(secret, delivered));
        Assert.Equal("Account.CREATE", delivered.Json["type"]!.GetValue<string>());
    }

    /// <summary>Creates an Account with the SDK outside any app of the rig (no consumer, no webhooks running).</summary>
    private async Task<string> CreateAccountDirectlyAsync(string name)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator-client";
            o.LoginUrl = _rig.Server.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("direct", _rig.Token(_rig.Emulator.Options.AccessToken!), TestContext.Current.CancellationToken);
        var record = new SObject("Account") { ["Name"] = name };
        return await provider.GetRequiredService<ISalesforceClientFactory>().ForUser("direct").SObjects.CreateAsync("Account", record, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Field-level security for one session: Salesforce leaves a field the user cannot read out of the user's describe; this
    /// handler does that for the describes made with <paramref name="session"/>.
    /// </summary>
    private sealed class HideFieldHandler(string session, string objectName, string field) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Headers.Authorization?.Parameter != session
                || !request.RequestUri!.AbsolutePath.TrimEnd('/').EndsWith($"/sobjects/{objectName}/describe", StringComparison.Ordinal)
                || !response.IsSuccessStatusCode)
            {
                return response;
            }

            var describe = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            var fields = describe["fields"]!.AsArray();
            foreach (var hidden in fields.Where(f => f!["name"]!.GetValue<string>() == field).ToList())
            {
                fields.Remove(hidden);
            }

            var headers = response.Content.Headers.ToList();
            response.Content = new StringContent(describe.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            foreach (var (name, values) in headers.Where(h => !h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
            {
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }

            return response;
        }
    }
}
