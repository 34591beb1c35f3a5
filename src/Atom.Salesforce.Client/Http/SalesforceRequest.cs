using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Http;

/// <summary>
/// A request the SDK built for one user's instance. It carries what the handlers need as fields instead of
/// <see cref="HttpRequestMessage.Options"/> entries: the path and query on the instance (so the URL is parsed once, on the
/// instance, when the auth handler knows it), and the connection (the user, the login, the usage of the call) it is sent
/// for. Its <see cref="HttpRequestMessage.RequestUri"/> starts null, so nothing is resolved against the placeholder base
/// address until <c>SalesforceAuthHandler</c> moves the request to the user's instance. Requests a caller builds
/// (<c>SalesforceClient.SendAsync</c>) stay plain messages and carry the connection in
/// <see cref="SalesforceHttp.ConnectionOption"/>.
/// </summary>
internal sealed class SalesforceRequest(HttpMethod method, string instancePath) : Resilience.TimedRequest(method, null)
{
    /// <summary>The escaped path and query relative to the instance, starting with '/'.</summary>
    public string InstancePath { get; } = instancePath;

    /// <summary>The user's connection the request is sent for; set when it is sent.</summary>
    public SalesforceConnection? Connection
    {
        get;
        set
        {
            field = value;
            Usage = value;
        }
    }

    /// <summary>The response whose <c>Sforce-Limit-Info</c> <see cref="LimitInfo"/> holds (<see cref="SforceLimitInfo"/> parses it once).</summary>
    public HttpResponseMessage? LimitInfoOf { get; set; }

    /// <summary>The parsed <c>Sforce-Limit-Info</c> of <see cref="LimitInfoOf"/>, when <see cref="HasLimitInfo"/>.</summary>
    public ApiUsage LimitInfo { get; set; }

    /// <summary>Whether <see cref="LimitInfoOf"/> carried a <c>Sforce-Limit-Info</c> that parsed.</summary>
    public bool HasLimitInfo { get; set; }
}
