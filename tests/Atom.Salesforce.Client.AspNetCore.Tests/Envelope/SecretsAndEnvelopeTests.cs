using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;
using Atom.Salesforce.Client.Auth;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Envelope;

public sealed class SecretsAndEnvelopeTests
{
    [Fact]
    public async Task No_token_reaches_a_response_or_a_log_on_any_route_success_or_failure()
    {
        await using var host = await PackHost.StartAsync();
        const string refresh = "5Aep861RefreshTokenThatMustNotLeak";
        await host.TokenStore.SaveAsync("ivan", new SalesforceToken("00Dxx!AccessTokenThatMustNotLeak", host.Emulator.InstanceUrl, DateTimeOffset.UtcNow) { RefreshToken = refresh }, TestContext.Current.CancellationToken);

        var lead = (await host.PostAsync("leads/create", PackHost.Alice, new { lead_data = new { LastName = "Leak", Company = "Check" } })).Data.GetProperty("id").GetString();
        var replies = new List<Reply>
        {
            await host.PostAsync("leads/convert", PackHost.Alice, new { lead_id = lead }),
            await host.PostAsync("accounts/list", PackHost.Alice, new { limit = 2 }),
            await host.PostAsync("health", PackHost.Alice, new { }),
            await host.PostAsync("accounts/list", "ivan", new { }),
            await host.PostAsync("health", "ivan", new { }),
            await host.PostAsync("leads/convert", "ivan", new { lead_id = lead }),
        };

        var secrets = new[] { host.Emulator.Options.AccessToken!, "AccessTokenThatMustNotLeak", refresh };
        foreach (var text in replies.Select(r => r.Text).Concat(host.Logs.Lines))
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        Assert.Contains(host.Logs.Lines, l => l.Contains("[5011]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_under_the_prefix_get_the_envelope()
    {
        await using var host = await PackHost.StartAsync();
        (await host.PostAsync("accounts/merge", PackHost.Alice, new { })).AssertError(404, "ROUTE_NOT_FOUND");
        (await host.GetAsync("/api/salesforce/enhanced/accounts/list", PackHost.Alice)).AssertError(404, "ROUTE_NOT_FOUND");
        (await host.PostAsync("analytics/forecast", PackHost.Alice, new { })).AssertError(404, "ROUTE_NOT_FOUND");
    }
}
