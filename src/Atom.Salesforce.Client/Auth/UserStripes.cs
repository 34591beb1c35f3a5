namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// A fixed set of per-user locks (lock striping): users hash onto <see cref="Count"/> semaphores, so memory stays bounded
/// however many users are seen. Two users on one stripe only wait for each other's refresh.
/// </summary>
internal sealed class UserStripes
{
    public const int Count = 64;

    // Each stripe's semaphore is made when a user on it first needs it: a process that refreshes no token makes none (issue 22).
    private readonly SemaphoreSlim?[] _locks = new SemaphoreSlim?[Count];

    public SemaphoreSlim For(string userId)
    {
        ref var slot = ref _locks[IndexOf(userId)];
        if (Volatile.Read(ref slot) is { } made)
        {
            return made;
        }

        var created = new SemaphoreSlim(1, 1);
        return Interlocked.CompareExchange(ref slot, created, null) ?? created;
    }

    public static int IndexOf(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Count);
}
