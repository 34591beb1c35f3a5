namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Elects the one active subscriber of a <see cref="SubscriptionKey"/> among the application's instances. Every instance asks
/// for the lease; the one that gets it subscribes, the others ask again every <see cref="ChangeEventsOptions.LeaseRetryInterval"/>.
/// The default is an in-process lease (one instance); <c>UsePostgres()</c> of Atom.Salesforce.Client.Postgres uses a
/// PostgreSQL advisory lock.
/// </summary>
public interface IChangeEventLeaseProvider
{
    /// <summary>Takes the lease of <paramref name="key"/> when nobody holds it; null when another holder has it.</summary>
    Task<IChangeEventLease?> TryAcquireAsync(SubscriptionKey key, CancellationToken cancellationToken = default);
}

/// <summary>A held lease. Disposing it gives it up.</summary>
public interface IChangeEventLease : IAsyncDisposable
{
    /// <summary>
    /// Cancelled as soon as the holder can no longer be sure it holds the lease (for PostgreSQL: its connection was lost); the
    /// consumer stops reading at once and does not commit another replay id.
    /// </summary>
    CancellationToken Lost { get; }
}
