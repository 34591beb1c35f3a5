using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// The factory behind both ways in (<c>AddPubSub()</c> and <see cref="PubSubClientFactory.Create"/>): one gRPC channel and
/// schema cache per connected app, one client per user, the app's own token refresher.
/// </summary>
internal sealed class DefaultPubSubClientFactory : IPubSubClientFactory, IDisposable
{
    /// <summary>The factory of a connected app registered in a container (<c>AddPubSub()</c>).</summary>
    public DefaultPubSubClientFactory(IServiceProvider services, string appName, PubSubOptions options)
        : this(
            services.GetRequiredKeyedService<SalesforceApp>(appName),
            appName,
            options,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IMeterFactory>())
    {
    }

    /// <summary>The factory from its parts: the container's above, or <see cref="PubSubClientFactory.Create"/>'s.</summary>
    public DefaultPubSubClientFactory(SalesforceApp app, string appName, PubSubOptions options, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters)
    {
        options.Validate();
        var resolver = app.Settings.CurrentValue.TypeInfoResolver;
        var serializer = resolver is null ? SalesforceJsonContext.Serializer : new SalesforceSerializer(SalesforceJsonContext.Default, resolver);
        Connection = new PubSubConnection(
            app, options, serializer, time,
            loggers.CreateLogger("Atom.Salesforce.Client.Streaming"),
            new PubSubTelemetry(meters, options.Endpoint, appName));
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
