namespace Atom.Salesforce.Client.Streaming;

/// <summary>How the Pub/Sub API client connects and recovers. Set with <c>AddPubSub(o => …)</c>.</summary>
public sealed class PubSubOptions
{
    /// <summary>Salesforce's Pub/Sub API endpoint, the default <see cref="Endpoint"/>.</summary>
    public static readonly Uri SalesforceEndpoint = new("https://api.pubsub.salesforce.com:7443");

    /// <summary>
    /// Where the gRPC calls go: Salesforce's global endpoint by default; the emulator's URL (<c>http://127.0.0.1:PORT</c>) for
    /// offline work. http (unencrypted HTTP/2) is accepted only for loopback, since the access token travels in each call.
    /// </summary>
    public Uri Endpoint { get; set; } = SalesforceEndpoint;

    /// <summary>The default number of events a subscription keeps outstanding, 1 to 100 (see <see cref="SubscribeOptions.BatchSize"/>).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The first wait before reconnecting after a transient failure; it doubles per failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many transient failures in a row (with no response in between) a subscription rides out before its enumeration
    /// throws; also the attempts of a read-only call (GetTopic, GetSchema). 0 never reconnects.
    /// </summary>
    public int MaxReconnectAttempts { get; set; } = 10;

    internal void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttps && !(Endpoint.Scheme == Uri.UriSchemeHttp && Endpoint.IsLoopback)))
        {
            throw new ArgumentException($"PubSubOptions.Endpoint must be an absolute https URL (http only on loopback); got '{Endpoint}'.");
        }

        if (BatchSize is < 1 or > 100)
        {
            throw new ArgumentException($"PubSubOptions.BatchSize must be 1 to 100; got {BatchSize}.");
        }

        if (ReconnectDelay < TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay || MaxReconnectAttempts < 0)
        {
            throw new ArgumentException("PubSubOptions: ReconnectDelay must be 0 or more, MaxReconnectDelay at least ReconnectDelay, MaxReconnectAttempts 0 or more.");
        }
    }
}
