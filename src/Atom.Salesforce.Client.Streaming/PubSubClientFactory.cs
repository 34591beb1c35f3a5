using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>The factory <c>AddPubSub()</c> registers: one gRPC channel and schema cache per connected app, one client per user.</summary>
internal sealed class PubSubClientFactory : IPubSubClientFactory, IDisposable
{
    public PubSubClientFactory(IServiceProvider services, string appName)
    {
        var app = services.GetRequiredKeyedService<SalesforceApp>(appName);
        var options = services.GetRequiredService<IOptionsMonitor<PubSubOptions>>().Get(appName);
        options.Validate();
        var resolver = app.Settings.CurrentValue.TypeInfoResolver;
        var serializer = resolver is null ? SalesforceJsonContext.Serializer : new SalesforceSerializer(SalesforceJsonContext.Default, resolver);
        Connection = new PubSubConnection(
            app, options, serializer, services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Atom.Salesforce.Client.Streaming"));
    }

    internal PubSubConnection Connection { get; }

    public PubSubClient ForUser(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return new PubSubClient(Connection, new Auth.SalesforceLogin(userId));
    }

    public PubSubClient ForUser(string userId, string username)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        return new PubSubClient(Connection, new Auth.SalesforceLogin(userId, username));
    }

    public void Dispose() => Connection.Dispose();
}
