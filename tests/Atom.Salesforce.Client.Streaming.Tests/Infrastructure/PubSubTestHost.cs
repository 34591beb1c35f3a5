using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>
/// The in-test Pub/Sub server on loopback (HTTP/2 without TLS, as gRPC's h2c), and an SDK registered the documented way
/// (<c>AddAtomSalesforce(...).AddPubSub(...)</c>) with a stored token for <see cref="UserId"/> and a fake OAuth token
/// endpoint that renews it.
/// </summary>
internal sealed class PubSubTestHost : IAsyncDisposable
{
    public const string UserId = "user-1";
    public const string Instance = "https://acme.my.salesforce.com";
    public const string OrgId = "00Dxx0000000001AAA";
    public const string SalesforceUserId = "005xx000000456AAA";
    public const string FirstToken = "00Dxx0000000001!first";
    public const string RenewedToken = "00Dxx0000000001!renewed";

    private readonly WebApplication _server;

    private readonly StrongBox<int> _renewals;

    private PubSubTestHost(WebApplication server, FakePubSubService service, Uri address, ServiceProvider provider, StrongBox<int> renewals)
    {
        _renewals = renewals;
        _server = server;
        Service = service;
        Address = address;
        Provider = provider;
        Tokens = provider.GetRequiredService<ITokenStore>();
        Client = provider.GetRequiredService<IPubSubClientFactory>().ForUser(UserId);
    }

    public FakePubSubService Service { get; }

    public Uri Address { get; }

    public ServiceProvider Provider { get; }

    public ITokenStore Tokens { get; }

    public PubSubClient Client { get; }

    /// <summary>Token renewals the fake OAuth endpoint answered.</summary>
    public int Renewals => Volatile.Read(ref _renewals.Value);

    public static async Task<PubSubTestHost> StartAsync(int batchSize = 100)
    {
        var service = new FakePubSubService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var server = builder.Build();
        server.MapGrpcService<FakePubSubService>();
        await server.StartAsync();
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var renewals = new StrongBox<int>();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "test-client";
                o.ClientSecret = "test-secret";
            })
            .ConfigureHttpClient(http => http.ConfigurePrimaryHttpMessageHandler(() => new TokenEndpoint(renewals)))
            .AddPubSub(o =>
            {
                o.Endpoint = address;
                o.BatchSize = batchSize;
                o.ReconnectDelay = TimeSpan.FromMilliseconds(5);
                o.MaxReconnectDelay = TimeSpan.FromMilliseconds(20);
                o.MaxReconnectAttempts = 3;
            });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(FirstToken, new Uri(Instance), DateTimeOffset.UtcNow)
        {
            RefreshToken = "refresh-1",
            IdentityUrl = new Uri($"https://login.salesforce.com/id/{OrgId}/{SalesforceUserId}"),
        });
        return new PubSubTestHost(server, service, address, provider, renewals);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Salesforce's token endpoint, as far as a refresh needs it: a new access token for the refresh token.</summary>
    private sealed class TokenEndpoint(StrongBox<int> renewals) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != "/services/oauth2/token")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
            }

            Interlocked.Increment(ref renewals.Value);
            var body = $$"""
                {"access_token":"{{RenewedToken}}","instance_url":"{{Instance}}","id":"https://login.salesforce.com/id/{{OrgId}}/{{SalesforceUserId}}",
                 "issued_at":"{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}","token_type":"Bearer","scope":"api refresh_token","signature":"c2ln"}
                """;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
