namespace Atom.Salesforce.Client.Auth;

/// <summary>
/// A fixed set of per-user locks (lock striping): users hash onto <see cref="Count"/> semaphores, so memory stays bounded
/// however many users are seen. Two users on one stripe only wait for each other's refresh.
/// </summary>
internal sealed class UserStripes
{
    public const int Count = 64;

    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public SemaphoreSlim For(string userId) => _locks[IndexOf(userId)];

    public static int IndexOf(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % Count);
}
