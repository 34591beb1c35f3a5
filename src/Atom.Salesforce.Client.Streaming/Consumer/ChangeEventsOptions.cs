namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Settings of the hosted change event consumer (<c>AddAtomSalesforceChangeEvents</c>), validated when the host starts.
/// </summary>
public sealed class ChangeEventsOptions
{
    /// <summary>The user whose stored token the subscription authenticates with (an integration user). Required.</summary>
    public string? UserId { get; set; }

    /// <summary>The connected app registration the user's token belongs to: empty (the default app) or a name given to <c>AddAtomSalesforce(name, ...)</c>.</summary>
    public string AppName { get; set; } = string.Empty;

    /// <summary>
    /// The consumer's name (default <c>default</c>): part of the key of its replay ids and of its lease, so two applications
    /// that read the same topic of the same org keep apart. Letters, digits, '-', '_' and '.', 1 to 64 characters.
    /// </summary>
    public string ConsumerName { get; set; } = "default";

    /// <summary>
    /// How many times a handler is called for one event before the event goes to the dead letter (default 5, at least 1).
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before a handler's second attempt (default one second); it doubles with each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts of a handler (default 30 seconds).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before subscribing again after the stream failed (default one second); it doubles with each failure in a row.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before subscribing again (default one minute).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a standby instance asks for the lease of a topic another instance holds (default two seconds).</summary>
    public TimeSpan LeaseRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where a subscription without a stored replay id starts: false (default) at the newest event, true at the earliest
    /// event Salesforce still retains (72 hours for change events).
    /// </summary>
    public bool StartFromEarliest { get; set; }

    /// <summary>
    /// With the SDK's cache registered (<c>AddCaching()</c> of Atom.Salesforce.Client.Caching): whether each change event
    /// drops the cached query results of its object (the header's entity) in the org of <see cref="UserId"/>'s token, before
    /// its handler runs. The drop reaches every instance through the shared level (Redis) when one is registered. Default true.
    /// </summary>
    public bool InvalidateCache { get; set; } = true;

    /// <summary>
    /// Called with an event whose handler failed <see cref="MaxAttempts"/> times, after every registered
    /// <see cref="IChangeEventDeadLetter"/>; then the event's replay id is committed and the stream moves on.
    /// </summary>
    public Func<ChangeEventDeadLetter, CancellationToken, Task>? OnDeadLetter { get; set; }
}
