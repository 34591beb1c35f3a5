using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Query;

/// <summary>An open query locator: the rows of a query as they were when it ran.</summary>
internal sealed class QueryCursor(string id, QueryResultSet result, string? userId)
{
    public string Id { get; } = id;

    public QueryResultSet Result { get; } = result;

    public string? UserId { get; } = userId;

    public DateTimeOffset LastUsed { get; set; }
}

/// <summary>
/// The org's open query locators. Like Salesforce, a locator expires after 15 minutes without use (on the org clock), a
/// user keeps at most 10 open (opening another closes the least recently used), and a locator closes once its last
/// page has been served.
/// </summary>
internal sealed class QueryCursors
{
    public const int MaxOpenPerUser = 10;

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, QueryCursor> _open = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _next = 1;

    public QueryCursor Open(QueryResultSet result, string? userId, DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            var mine = _open.Values.Where(c => c.UserId == userId).OrderBy(c => c.LastUsed).ToList();
            foreach (var stale in mine.Take(Math.Max(0, mine.Count - MaxOpenPerUser + 1)))
            {
                _open.Remove(stale.Id);
            }

            var cursor = new QueryCursor(RecordIds.Create("01g", _next++), result, userId) { LastUsed = now };
            _open[cursor.Id] = cursor;
            return cursor;
        }
    }

    public QueryCursor? Find(string id, string? userId, DateTimeOffset now)
    {
        lock (_gate)
        {
            Expire(now);
            if (!_open.TryGetValue(id, out var cursor) || cursor.UserId != userId)
            {
                return null;
            }

            cursor.LastUsed = now;
            return cursor;
        }
    }

    public void Close(string id)
    {
        lock (_gate)
        {
            _open.Remove(id);
        }
    }

    private void Expire(DateTimeOffset now)
    {
        foreach (var cursor in _open.Values.Where(c => now - c.LastUsed > IdleTimeout).ToList())
        {
            _open.Remove(cursor.Id);
        }
    }
}
