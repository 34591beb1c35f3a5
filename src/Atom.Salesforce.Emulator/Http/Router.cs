using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Http;

/// <summary>What a route handler gets: the request, the values of the route's {placeholders}, and the org.</summary>
internal sealed class RequestContext(EmulatorRequest request, IReadOnlyDictionary<string, string> values, IEmulatorHost host)
{
    public EmulatorRequest Request { get; } = request;

    /// <summary>The org that serves the request.</summary>
    public IEmulatorHost Host { get; } = host;

    public Org Org => Host.Org;

    /// <summary>The API version of a <c>/services/data/vNN.0/</c> route, as a number (66.0).</summary>
    public decimal ApiVersion { get; init; }

    /// <summary>The user the request's token belongs to.</summary>
    public string? UserId { get; init; }

    public string this[string name] => values[name];

    public string? Optional(string name) => values.GetValueOrDefault(name);

    /// <summary>The base of this version's resources: <c>/services/data/v66.0</c>.</summary>
    public string VersionPath => $"/services/data/v{ApiVersion:0.0}";
}

/// <summary>A route: a method, a path pattern with {placeholders}, whether it needs a session, and its handler.</summary>
internal sealed record Route(string Method, string Pattern, bool Anonymous, Func<RequestContext, EmulatorResponse> Handler)
{
    private readonly string[] _segments = Pattern.Trim('/').Split('/');

    /// <summary>
    /// Matches the path (segments percent-decoded); a trailing slash is optional, as Salesforce treats it. A last segment
    /// <c>{**name}</c> takes the rest of the path, however many segments (none included), joined by '/'.
    /// </summary>
    public bool TryMatch(string[] path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var catchAll = _segments[^1].StartsWith("{**", StringComparison.Ordinal);
        if (catchAll ? path.Length < _segments.Length - 1 : path.Length != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < path.Length; i++)
        {
            var segment = _segments[i];
            if (catchAll && i == _segments.Length - 1)
            {
                values[segment[3..^1]] = string.Join('/', path[i..]);
                return true;
            }

            if (segment.StartsWith('{'))
            {
                values[segment[1..^1]] = path[i];
            }
            else if (!segment.Equals(path[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (catchAll)
        {
            values[_segments[^1][3..^1]] = string.Empty;
        }

        return true;
    }
}

/// <summary>The routes of the org, matched in the order they were added.</summary>
internal sealed class Router
{
    private readonly List<Route> _routes = [];

    public void Map(string method, string pattern, Func<RequestContext, EmulatorResponse> handler, bool anonymous = false) =>
        _routes.Add(new Route(method, pattern, anonymous, handler));

    /// <summary>The route for the request, or null; <paramref name="methodNotAllowed"/> when the path matched with another method.</summary>
    public (Route Route, Dictionary<string, string> Values)? Match(string method, string path, out bool methodNotAllowed)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        methodNotAllowed = false;
        foreach (var route in _routes)
        {
            if (route.TryMatch(segments, out var values))
            {
                if (route.Method == method || (method == "HEAD" && route.Method == "GET"))
                {
                    return (route, values);
                }

                methodNotAllowed = true;
            }
        }

        return null;
    }
}
