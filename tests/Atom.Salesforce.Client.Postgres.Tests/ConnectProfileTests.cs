using System.Net;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres.Tests.Infrastructure;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Postgres.Tests;

/// <summary>
/// <c>profile_id</c> of the documented table: the connect flows read the user's <c>ProfileId</c> with the new token (best
/// effort), against the emulated org served over loopback.
/// </summary>
public sealed class ConnectProfileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connected_login_stores_the_profile_id_of_its_Salesforce_user()
    {
        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        await using var database = await TestDatabase.CreateAsync(Ct);
        await using var host = EmulatorHost(database, server.BaseAddress, refuseUserRecord: false, logs: null);
        await host.Migrator.MigrateAsync(Ct);

        var token = await host.Provider.GetRequiredService<ISalesforceOAuth>().AuthenticateWithClientCredentialsAsync("alice", Ct);

        // The client credentials flow runs as the org's admin, whose profile is System Administrator.
        var client = host.Provider.GetRequiredService<ISalesforceClientFactory>().ForUser("alice");
        var profiles = new List<SObject>();
        await foreach (var profile in client.Query.QueryAsync<SObject>("SELECT Id FROM Profile WHERE Name = 'System Administrator'", cancellationToken: Ct))
        {
            profiles.Add(profile);
        }

        var admin = (string)Assert.Single(profiles)["Id"]!;
        Assert.Equal(admin, token.ProfileId);
        Assert.Equal(
            [[admin, EmulatorOAuthOptions.AdminUsername]],
            await database.RowsAsync("SELECT profile_id, username FROM salesforce_oauth_tokens WHERE user_id = 'alice'"));
        Assert.Equal(admin, (await host.Store.GetAsync("alice", Ct))!.ProfileId);
    }

    [Fact]
    public async Task A_refused_profile_lookup_still_stores_the_token_without_a_profile_and_logs_no_token()
    {
        var emulator = new SalesforceEmulator();
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        await using var database = await TestDatabase.CreateAsync(Ct);
        var logs = new CollectingLoggerProvider();
        await using var host = EmulatorHost(database, server.BaseAddress, refuseUserRecord: true, logs);
        await host.Migrator.MigrateAsync(Ct);

        var token = await host.Provider.GetRequiredService<ISalesforceOAuth>().AuthenticateWithClientCredentialsAsync("alice", Ct);

        Assert.Null(token.ProfileId);
        var row = Assert.Single(await database.RowsAsync("SELECT profile_id, username, is_active FROM salesforce_oauth_tokens WHERE user_id = 'alice'"));
        Assert.Equal([null, EmulatorOAuthOptions.AdminUsername, true], row);
        Assert.Equal(token.AccessToken, (await host.Store.GetAsync("alice", Ct))!.AccessToken);
        Assert.Contains(logs.Entries, e => e.Text.Contains("profile", StringComparison.OrdinalIgnoreCase) && e.Text.Contains("403", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Text.Contains(token.AccessToken, StringComparison.Ordinal));
    }

    private static StoreHost EmulatorHost(TestDatabase database, Uri emulator, bool refuseUserRecord, CollectingLoggerProvider? logs) =>
        new(database.ConnectionString,
            services: s =>
            {
                if (logs is not null)
                {
                    s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
                }
            },
            sdk: b =>
            {
                b.Services.Configure<SalesforceOptions>(o =>
                {
                    o.ClientId = EmulatorOAuthOptions.DefaultClientId;
                    o.ClientSecret = EmulatorOAuthOptions.DefaultClientSecret;
                    o.LoginUrl = emulator;
                });
                if (refuseUserRecord)
                {
                    b.ConfigureHttpClient(h => h.AddHttpMessageHandler(() => new RefuseUserRecord()));
                }
            });

    /// <summary>Answers a read of a User record as Salesforce does for a user without access to it (403, quoting the session).</summary>
    private sealed class RefuseUserRecord : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.Contains("/sobjects/User/", StringComparison.Ordinal))
            {
                var session = request.Headers.Authorization?.Parameter;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden)
                {
                    Content = new StringContent(
                        $$"""[{"message":"Insufficient access rights for session {{session}}","errorCode":"INSUFFICIENT_ACCESS"}]""",
                        Encoding.UTF8,
                        "application/json"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
