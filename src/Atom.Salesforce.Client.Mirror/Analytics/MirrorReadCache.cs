namespace Atom.Salesforce.Client.Mirror.Analytics;

/// <summary>
/// The reads of <see cref="MirrorSalesDataSource"/> kept in this process (<see cref="MirrorOptions.ReadCacheEntries"/>), each
/// under the version of the mirror it was read at: the state table's columns that move whenever the writer changes rows of the
/// objects it read. A call whose version differs reads again; so does a call after a failed or cancelled read. Concurrent calls
/// of one key and version share one read. The least recently used read goes first when there are more than the capacity.
/// </summary>
internal sealed class MirrorReadCache(int capacity)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>How many reads are kept (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The value of <paramref name="key"/> read at <paramref name="version"/>; <paramref name="read"/> runs when none is kept.
    /// A null version (the mirror's state cannot be read) reads without keeping anything.
    /// </summary>
    public async Task<T> GetAsync<T>(string key, string? version, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        if (capacity == 0 || version is null)
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            Entry entry;
            lock (_lock)
            {
                if (_entries.TryGetValue(key, out entry!) && entry.Version == version && !entry.Value.IsFaulted && !entry.Value.IsCanceled)
                {
                    entry.LastUsed = ++_clock;
                }
                else
                {
                    entry = new Entry(version, StartAsync(read, cancellationToken)) { LastUsed = ++_clock };
                    _entries[key] = entry;
                    while (_entries.Count > capacity)
                    {
                        _entries.Remove(_entries.MinBy(e => e.Value.LastUsed).Key);
                    }
                }
            }

            try
            {
                return (T)await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && entry.Value.IsCanceled)
            {
                // Another caller's read was cancelled: read again for this one.
            }
            catch
            {
                lock (_lock)
                {
                    if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry) && entry.Value.IsCompleted)
                    {
                        _entries.Remove(key);
                    }
                }

                throw;
            }
        }
    }

    private static async Task<object> StartAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class =>
        await read(cancellationToken).ConfigureAwait(false);

    private sealed class Entry(string version, Task<object> value)
    {
        public string Version { get; } = version;

        public Task<object> Value { get; } = value;

        public long LastUsed { get; set; }
    }
}
