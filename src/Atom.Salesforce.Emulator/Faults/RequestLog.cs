namespace Atom.Salesforce.Emulator.Faults;

/// <summary>One request the org served, for <c>/__emulator/stats</c>.</summary>
internal sealed record LoggedRequest(DateTimeOffset At, string Method, string Path, int Status, double DurationMs, string? Fault);

/// <summary>Counters per route and the most recent requests.</summary>
internal sealed class RequestLog
{
    private const int Recent = 200;
    private readonly object _lock = new();
    private readonly Queue<LoggedRequest> _recent = new();
    private readonly Dictionary<string, int> _byRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _byStatus = [];
    private long _total;
    private long _faults;

    public void Add(LoggedRequest request, string route)
    {
        lock (_lock)
        {
            _total++;
            _faults += request.Fault is null ? 0 : 1;
            _byRoute[route] = _byRoute.GetValueOrDefault(route) + 1;
            _byStatus[request.Status] = _byStatus.GetValueOrDefault(request.Status) + 1;
            _recent.Enqueue(request);
            if (_recent.Count > Recent)
            {
                _recent.Dequeue();
            }
        }
    }

    public (long Total, long Faults, IReadOnlyDictionary<string, int> ByRoute, IReadOnlyDictionary<int, int> ByStatus, IReadOnlyList<LoggedRequest> Recent) Snapshot()
    {
        lock (_lock)
        {
            return (_total, _faults, new Dictionary<string, int>(_byRoute), new Dictionary<int, int>(_byStatus), [.. _recent]);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _total = 0;
            _faults = 0;
            _byRoute.Clear();
            _byStatus.Clear();
            _recent.Clear();
        }
    }
}
