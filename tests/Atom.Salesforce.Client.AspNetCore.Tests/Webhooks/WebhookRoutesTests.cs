using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Webhooks;

/// <summary>
/// The webhook routes: what they refuse (400 envelope, never 500; targets that are not https or reach internal addresses),
/// and what they keep per user (the secret shown once, never listed; one user never sees or changes another's endpoints).
/// </summary>
public sealed class WebhookRoutesTests
{
    private const string OrgId = "00DHs0000000001MAA";

    /// <summary>A pack host with webhooks (delivery off: these tests look at the routes) and Alice connected with her org.</summary>
    private static async Task<PackHost> StartAsync(bool permissive)
    {
        var host = await PackHost.StartAsync(salesforce: b => b.AddWebhooks(o =>
        {
            o.DeliveryEnabled = false;
            o.AllowLoopbackTargets = permissive;
            o.AllowHttpTargets = permissive;
            o.MaxEndpointsPerUser = 3;
        }));
        foreach (var user in new[] { PackHost.Alice, PackHost.Bob })
        {
            await host.TokenStore.SaveAsync(user, new SalesforceToken(host.Emulator.Options.AccessToken!, host.Emulator.InstanceUrl, DateTimeOffset.UtcNow)
            {
                IdentityUrl = new Uri(host.Emulator.InstanceUrl, $"/id/{OrgId}/005Hs00000000001AAA"),
            });
        }

        return host;
    }

    [Fact]
    public async Task Targets_that_are_not_https_or_reach_internal_addresses_are_refused_before_anything_is_stored()
    {
        await using var host = await StartAsync(permissive: false);

        async Task RefusedAsync(string target, string code)
        {
            var reply = await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = target, objects = new[] { "Account" } });
            reply.AssertError(400, code, SalesforceEndpointErrors.ValidationError);
        }

        await RefusedAsync("http://hooks.example.com/in", "INVALID_URL");
        await RefusedAsync("ftp://hooks.example.com/in", "INVALID_URL");
        await RefusedAsync("https://user:secret@hooks.example.com/in", "INVALID_URL");
        await RefusedAsync("not a url", "INVALID_URL");
        await RefusedAsync("https://127.0.0.1/in", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://localhost:8443/in", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://[::1]/in", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://10.0.0.5/in", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://192.168.0.10/in", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://169.254.169.254/latest/meta-data", "TARGET_NOT_ALLOWED");
        await RefusedAsync("https://[::ffff:10.0.0.1]/in", "TARGET_NOT_ALLOWED");
        var list = (await host.PostAsync("webhooks/list", PackHost.Alice, new { })).Data;
        Assert.Empty(list.GetProperty("webhooks").EnumerateArray());
    }

    [Fact]
    public async Task Bad_bodies_are_400_envelopes()
    {
        await using var host = await StartAsync(permissive: true);

        (await host.PostAsync("webhooks/create", PackHost.Alice, new { objects = new[] { "Account" } })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in" })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in", objects = Array.Empty<string>() })).AssertError(400, "INVALID_REQUEST");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in", objects = new[] { "Account; DROP" } })).AssertError(400, "INVALID_TYPE");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in", objects = new[] { "NoSuchThing__c" } })).AssertError(400, "INVALID_TYPE");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in", objects = new[] { "Account" }, change_types = new[] { "MERGE" } })).AssertError(400, "INVALID_REQUEST");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = 5, objects = new[] { "Account" } })).AssertError(400, "INVALID_REQUEST");
        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/in", objects = new[] { "Account" }, description = new string('d', 1_001) })).AssertError(400, "INVALID_REQUEST");
        (await host.PostAsync("webhooks/delete", PackHost.Alice, new { webhook_id = "not-a-uuid" })).AssertError(400, "INVALID_ID");
        (await host.PostAsync("webhooks/delete", PackHost.Alice, new { })).AssertError(400, "REQUIRED_FIELD_MISSING");
        (await host.PostAsync("webhooks/list", null, new { })).AssertError(401, "NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task The_secret_is_shown_once_the_list_shows_state_and_only_the_owner_can_see_rotate_or_delete()
    {
        await using var host = await StartAsync(permissive: true);

        var created = (await host.PostAsync("webhooks/create", PackHost.Alice, new
        {
            target_url = "http://127.0.0.1:9/in",
            objects = new[] { "account", "Contact", "Account" },
            change_types = new[] { "update", "CREATE" },
            description = "CRM sync",
        })).Data;
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(["Account", "Contact"], created.GetProperty("objects").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(["UPDATE", "CREATE"], created.GetProperty("change_types").EnumerateArray().Select(o => o.GetString()));
        var listed = (await host.PostAsync("webhooks/list", PackHost.Alice, new { })).Data.GetProperty("webhooks").EnumerateArray().Single();
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal("active", listed.GetProperty("status").GetString());
        Assert.False(listed.GetProperty("disabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("disabled_reason").ValueKind);
        Assert.Equal("CRM sync", listed.GetProperty("description").GetString());
        var listText = (await host.PostAsync("webhooks/list", PackHost.Alice, new { })).Text;
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", listText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], string.Join("\n", await StoredSecretsAsync(host)), StringComparison.Ordinal);

        // Bob sees none of it and can change none of it.
        Assert.Empty((await host.PostAsync("webhooks/list", PackHost.Bob, new { })).Data.GetProperty("webhooks").EnumerateArray());
        (await host.PostAsync("webhooks/rotate-secret", PackHost.Bob, new { webhook_id = id })).AssertError(404, "WEBHOOK_NOT_FOUND", SalesforceEndpointErrors.NotFound);
        (await host.PostAsync("webhooks/delete", PackHost.Bob, new { webhook_id = id })).AssertError(404, "WEBHOOK_NOT_FOUND", SalesforceEndpointErrors.NotFound);

        var rotated = (await host.PostAsync("webhooks/rotate-secret", PackHost.Alice, new { webhook_id = id })).Data;
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());
        Assert.True(rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        Assert.True((await host.PostAsync("webhooks/delete", PackHost.Alice, new { webhook_id = id })).Data.GetProperty("deleted").GetBoolean());
        Assert.Empty((await host.PostAsync("webhooks/list", PackHost.Alice, new { })).Data.GetProperty("webhooks").EnumerateArray());
        (await host.PostAsync("webhooks/delete", PackHost.Alice, new { webhook_id = id })).AssertError(404, "WEBHOOK_NOT_FOUND");
    }

    [Fact]
    public async Task A_user_may_register_only_the_configured_number_of_endpoints()
    {
        await using var host = await StartAsync(permissive: true);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = $"http://127.0.0.1:9/{i}", objects = new[] { "Lead" } })).Root.GetProperty("ok").GetBoolean());
        }

        (await host.PostAsync("webhooks/create", PackHost.Alice, new { target_url = "http://127.0.0.1:9/4", objects = new[] { "Lead" } })).AssertError(400, "LIMIT_EXCEEDED");
        Assert.True((await host.PostAsync("webhooks/create", PackHost.Bob, new { target_url = "http://127.0.0.1:9/b", objects = new[] { "Lead" } })).Root.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Without_AddWebhooks_the_routes_answer_404_not_enabled()
    {
        await using var host = await PackHost.StartAsync();

        (await host.PostAsync("webhooks/list", PackHost.Alice, new { })).AssertError(404, "WEBHOOKS_NOT_ENABLED", SalesforceEndpointErrors.NotFound);
    }

    private static async Task<List<string>> StoredSecretsAsync(PackHost host)
    {
        await using var data = Npgsql.NpgsqlDataSource.Create(PackHost.ServerConnectionString);
        await using var command = data.CreateCommand($"SELECT secret FROM {host.Schema}.salesforce_webhook_endpoints");
        var secrets = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var stored = reader.GetString(0);
            Assert.StartsWith("atomsf:", stored, StringComparison.Ordinal);
            secrets.Add(stored);
        }

        return secrets;
    }
}
