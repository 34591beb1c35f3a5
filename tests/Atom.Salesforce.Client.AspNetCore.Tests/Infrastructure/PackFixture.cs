using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

/// <summary>One host per test class: the demo org is generated once; tests that write create their own records.</summary>
public sealed class PackFixture : IAsyncLifetime
{
    internal PackHost Host { get; private set; } = null!;

    /// <summary>The SDK's own client for Alice, to check answers against the org directly.</summary>
    internal SalesforceClient Sdk => Host.Services.GetRequiredService<ISalesforceClientFactory>().ForUser(PackHost.Alice);

    public async ValueTask InitializeAsync() => Host = await PackHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
