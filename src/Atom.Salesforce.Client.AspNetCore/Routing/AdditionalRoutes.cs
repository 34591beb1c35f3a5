using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OAuth;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>The routes beside the JSON ones: the OAuth connect flow and the OpenAPI document.</summary>
internal static class AdditionalRoutes
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder group, string prefix)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SalesforceEndpointOptions>>().Value;
        var callbackPath = OAuthEndpoints.CallbackPath(options, prefix);
        group.MapGet("oauth/authorize", (HttpContext http) => OAuthEndpoints.Authorize(http, callbackPath)).WithName("AtomSalesforce.oauth/authorize");

        // Under the prefix, the callback shares the group's conventions; elsewhere (a redirect URI registered on another
        // path) it is mapped on its own and still checks the signed-in user itself.
        Func<HttpContext, Task<IResult>> handleCallback = http => OAuthEndpoints.CallbackAsync(http, callbackPath);
        var callback = callbackPath.StartsWith(prefix + "/", StringComparison.Ordinal)
            ? group.MapGet(callbackPath[(prefix.Length + 1)..], handleCallback)
            : endpoints.MapGet(callbackPath, handleCallback);
        callback.WithName("AtomSalesforce.oauth/callback");

        var document = new Lazy<string>(() => OpenApiDocument.Build(prefix, callbackPath).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        group.MapGet("openapi.json", () => TypedResults.Text(document.Value, "application/json")).WithName("AtomSalesforce.openapi");

        // Anything else under the prefix (an unknown route, GET on a POST route) still answers with the envelope.
        group.MapFallback(() => ErrorMapper.Error(ErrorMapper.Envelope(
            SalesforceEndpointErrors.NotFound, 404, EndpointErrorCodes.RouteNotFound, "No such route: the JSON routes take POST; see openapi.json under the prefix."))).WithName("AtomSalesforce.fallback");
    }
}
