using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Microsoft.AspNetCore.Http;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>What a handler gets: the checked body, the resolved user, that user's client and the pack's services.</summary>
internal sealed class EndpointCall(HttpContext http, RequestBody body, string? userId, EndpointServices services)
{
    private SalesforceClient? _client;

    public HttpContext Http { get; } = http;

    public RequestBody Body { get; } = body;

    /// <summary>The user whose tokens the request uses; null only on routes where the user is optional.</summary>
    public string? UserId { get; } = userId;

    public EndpointServices Services { get; } = services;

    /// <summary>The Salesforce username of the user's login the request names (<c>username</c>), or null for the user's only login.</summary>
    public string? Username => Body.String("username") is { } username
        ? string.IsNullOrWhiteSpace(username) ? throw EndpointError.Validation(EndpointErrorCodes.InvalidRequest, "'username' must not be empty.") : username
        : null;

    /// <summary>The login the request uses: the user and, when named, the Salesforce username.</summary>
    public Auth.SalesforceLogin Login => new(UserId ?? throw new InvalidOperationException("This route has no user."), Username);

    public CancellationToken CancellationToken => Http.RequestAborted;

    /// <summary>The resolved user's client; the only client a handler may use.</summary>
    public SalesforceClient Client => _client ??= Username is { } username
        ? Services.ClientFactory.ForUser(UserId ?? throw new InvalidOperationException("This route has no user."), username)
        : Services.ClientFactory.ForUser(UserId ?? throw new InvalidOperationException("This route has no user."));

    /// <summary>The list <c>limit</c>, bounded by the options.</summary>
    public int Limit()
    {
        var options = Services.Options;
        var limit = Body.Int("limit") ?? options.DefaultListLimit;
        if (limit < 1 || limit > options.MaxListLimit)
        {
            throw EndpointError.Validation(EndpointErrorCodes.InvalidLimit, $"'limit' must be between 1 and {options.MaxListLimit:N0}.");
        }

        return limit;
    }
}
