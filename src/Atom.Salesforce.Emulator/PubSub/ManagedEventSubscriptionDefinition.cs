namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// A managed event subscription (Salesforce's <c>ManagedEventSubscription</c> Tooling and Metadata API type, beta): a
/// named subscription to one topic whose committed replay id the org keeps, so that a client calling the Pub/Sub API's
/// <c>ManagedSubscribe</c> with its developer name or id resumes after the last event it committed. Defined through
/// <see cref="SalesforceEmulatorOptions.ManagedEventSubscriptions"/>, or at run time through the Tooling API
/// (<c>POST /services/data/vXX.X/tooling/sobjects/ManagedEventSubscription</c>), as on Salesforce.
/// </summary>
public sealed class ManagedEventSubscriptionDefinition
{
    /// <summary>The unique name (letters, digits and single underscores, starting with a letter), the <c>developer_name</c> a client subscribes with.</summary>
    public required string DeveloperName { get; init; }

    /// <summary>The topic, for example <c>/data/AccountChangeEvent</c>, <c>/data/ChangeEvents</c> or <c>/event/Order_Event__e</c>.</summary>
    public required string TopicName { get; init; }

    /// <summary>The label; the developer name with spaces for underscores when null.</summary>
    public string? Label { get; init; }

    /// <summary>
    /// Where the subscription starts when nothing has been committed yet: <c>LATEST</c> (the default: new events only) or
    /// <c>EARLIEST</c> (every retained event).
    /// </summary>
    public string DefaultReplay { get; init; } = "LATEST";

    /// <summary>
    /// Where the subscription starts when the committed replay id is no longer valid (older than the 72-hour retention):
    /// <c>LATEST</c> (the default) or <c>EARLIEST</c>.
    /// </summary>
    public string ErrorRecoveryReplay { get; init; } = "LATEST";

    /// <summary><c>RUN</c> (the default) lets clients subscribe; <c>STOP</c> refuses them.</summary>
    public string State { get; init; } = "RUN";
}
