using Atom.Salesforce.Client.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// Makes <see cref="PubSubClient"/>s without a dependency-injection container, on top of a
/// <see cref="SalesforceClientFactory"/>: <c>using var pubSub = PubSubClientFactory.Create(salesforce);</c> then
/// <c>pubSub.ForUser("user123")</c>. The clients get exactly what <c>AddAtomSalesforce(...).AddPubSub(...)</c> gives: the
/// connected app's token store and its one token refresher (shared with the REST clients of <c>salesforce</c>, so a session
/// is renewed once for both), the same telemetry, logging and validation. Make one per application and dispose of it at the
/// end (it closes the gRPC connection); dispose of the <see cref="SalesforceClientFactory"/> after it.
/// </summary>
public sealed class PubSubClientFactory : IPubSubClientFactory, IDisposable, IAsyncDisposable
{
    private readonly DefaultPubSubClientFactory _inner;

    private PubSubClientFactory(DefaultPubSubClientFactory inner) => _inner = inner;

    /// <summary>
    /// A factory whose clients call the Pub/Sub API as the connected app of <paramref name="salesforce"/>, with its token store
    /// and refresh path. The options are validated now, as the container validates them when the host starts.
    /// </summary>
    /// <param name="salesforce">
    /// The container-free factory of the connected app (<c>SalesforceClientFactory.Create(options, tokenStore)</c>). The caller
    /// keeps ownership of it: it must outlive this factory, which does not dispose of it.
    /// </param>
    /// <param name="options">The endpoint, batch size and reconnection; Salesforce's defaults when null. Do not change the instance afterwards.</param>
    /// <returns>The factory.</returns>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static PubSubClientFactory Create(SalesforceClientFactory salesforce, PubSubOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(salesforce);
        return new PubSubClientFactory(new DefaultPubSubClientFactory(
            salesforce.App, Microsoft.Extensions.Options.Options.DefaultName, options ?? new PubSubOptions(), TimeProvider.System, salesforce.Loggers, salesforce.Meters));
    }

    /// <inheritdoc />
    public PubSubClient ForUser(string userId) => _inner.ForUser(userId);

    /// <inheritdoc />
    public PubSubClient ForUser(string userId, string username) => _inner.ForUser(userId, username);

    /// <summary>Closes the gRPC connection; the clients this factory made stop working. The <see cref="SalesforceClientFactory"/> is left open.</summary>
    public void Dispose() => _inner.Dispose();

    /// <summary>Closes the gRPC connection; the clients this factory made stop working. The <see cref="SalesforceClientFactory"/> is left open.</summary>
    /// <returns>A completed task: closing the connection does not wait.</returns>
    public ValueTask DisposeAsync()
    {
        _inner.Dispose();
        return ValueTask.CompletedTask;
    }
}
