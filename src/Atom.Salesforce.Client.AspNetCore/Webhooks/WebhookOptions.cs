namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// How the endpoint pack's webhooks are checked and delivered. Bound from the <see cref="DefaultSectionName"/> configuration
/// section (<c>Salesforce:Webhooks:MaxAttempts</c>, <c>Salesforce:Webhooks:RetryDelay</c> as <c>00:00:10</c>, ...), or from
/// the section given to <c>AddWebhooks(configuration)</c>, then changed by <c>AddWebhooks(o => ...)</c>; validated when the
/// host starts: a value out of range, a value of the wrong type or a key that is not an option stops it with a message
/// naming the key.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section the options are bound from by default: <c>Salesforce:Webhooks</c>.</summary>
    public const string DefaultSectionName = "Salesforce:Webhooks";

    /// <summary>
    /// Accepts <c>http://</c> targets. Off by default: a target must be <c>https://</c>, so that the signed body and the
    /// record fields it carries are not sent in the clear. For development and tests only.
    /// </summary>
    public bool AllowHttpTargets { get; set; }

    /// <summary>
    /// Accepts targets that resolve to a loopback address (<c>127.0.0.0/8</c>, <c>::1</c>). Off by default. For development
    /// and tests only: with it, any user of the pack can make the server post to its own ports.
    /// </summary>
    public bool AllowLoopbackTargets { get; set; }

    /// <summary>
    /// Accepts targets that resolve to private, shared, link-local or otherwise non-public addresses (<c>10/8</c>,
    /// <c>172.16/12</c>, <c>192.168/16</c>, <c>100.64/10</c>, <c>169.254/16</c> (cloud metadata), <c>fc00::/7</c>,
    /// <c>fe80::/10</c>, ...). Off by default: the pack must not be a way into the network it runs in. Turn it on only when
    /// every user of the pack may reach every internal service.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How many endpoints one user may register (default 20).</summary>
    public int MaxEndpointsPerUser { get; set; } = 20;

    /// <summary>
    /// After how many failed deliveries in a row an endpoint is disabled (default 10, at least 1). A success resets the count.
    /// The endpoint's list entry shows when and why; its queued events stay in the outbox.
    /// </summary>
    public int MaxConsecutiveFailures { get; set; } = 10;

    /// <summary>
    /// How many times one event is posted to an endpoint before it is given up (default 12, at least 1); it is kept in the
    /// outbox, marked failed, with its last error.
    /// </summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The wait before the second attempt of an event (default 10 seconds); it doubles with each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts of an event (default one hour).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a target has to answer a delivery (default 15 seconds); longer is a failed attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the delivery worker looks for due events when it found none (default one second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many due events one instance claims and posts at a time (default 20).</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long the secret replaced by <c>webhooks/rotate-secret</c> still signs deliveries beside the new one (default 24
    /// hours), so that the receiver can switch to the new secret without refusing a delivery.
    /// </summary>
    public TimeSpan PreviousSecretLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Runs the delivery worker in this instance (default true). Turn off in instances that only serve the routes.</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>Changes the delivery handler after the pack set it up (tests trust their receiver's certificate with it).</summary>
    internal Action<System.Net.Http.SocketsHttpHandler>? ConfigureHandler { get; set; }
}
