namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Handles the change events of one object, registered with
/// <see cref="ChangeEventsBuilderExtensions.AddHandler{T, THandler}(IChangeEventsBuilder, string)"/>. A new instance is
/// resolved, in a new dependency injection scope, for each attempt at each event (so a scoped <c>DbContext</c> is fresh).
/// Events of a topic arrive one at a time, in the order Salesforce committed them.
/// </summary>
/// <typeparam name="T">The record type: the same POCO the REST API reads, or <c>SObject</c>.</typeparam>
/// <remarks>
/// Delivery is at least once: the event's replay id is committed only after this method returns, so an event being handled
/// when its subscriber stops (a crash, a failover, a lost lease) is delivered again to the next one. Make the handler
/// idempotent. Throwing makes the consumer try again (<see cref="ChangeEventsOptions.MaxAttempts"/>), then hand the event to
/// the dead letter and move on.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Not a .NET event handler delegate: the issue's and the docs' name for a handler of change events.")]
public interface IChangeEventHandler<T>
{
    /// <summary>Handles one change event.</summary>
    /// <param name="change">The event: its header (change type, record ids, changed fields) and record fields.</param>
    /// <param name="context">The event's replay id, topic and attempt number.</param>
    /// <param name="cancellationToken">Cancelled when the host stops or this instance loses the topic's lease.</param>
    Task HandleAsync(ChangeEvent<T> change, ChangeEventContext context, CancellationToken cancellationToken = default);
}
