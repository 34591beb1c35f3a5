using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.OAuth;
using Atom.Salesforce.Client.AspNetCore.OpenApi;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Mapping;

/// <summary>The routes beside the JSON ones: the OAuth connect flow and the OpenAPI document.</summary>
internal static class AdditionalRoutes
{
    public static void Map(IEndpointRouteBuilder endpoints, RouteGroupBuilder group, string prefix)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<SalesforceEndpointOptions>>().Value;
        var callbackPath = OAuthEndpoints.CallbackPath(options, prefix);
        group.MapGet("oauth/authorize", RouteHandlers.Of(http => OAuthEndpoints.Authorize(http, callbackPath))).WithName("AtomSalesforce.oauth/authorize");

        // Under the prefix, the callback shares the group's conventions; elsewhere (a redirect URI registered on another
        // path) it is mapped on its own and still checks the signed-in user itself.
        var handleCallback = RouteHandlers.Of(http => OAuthEndpoints.CallbackAsync(http, callbackPath));
        var callback = callbackPath.StartsWith(prefix + "/", StringComparison.Ordinal)
            ? group.MapGet(callbackPath[(prefix.Length + 1)..], handleCallback)
            : endpoints.MapGet(callbackPath, handleCallback);
        callback.WithName("AtomSalesforce.oauth/callback");

        // Built once, on the first request: by then the host's authentication schemes (its security schemes) are all registered.
        var services = endpoints.ServiceProvider;
        Task<string>? document = null;
        group.MapGet("openapi.json", RouteHandlers.Of(async _ => TypedResults.Text(await (document ??= BuildAsync()).ConfigureAwait(false), "application/json")))
            .WithName("AtomSalesforce.openapi");

        async Task<string> BuildAsync()
        {
            var schemes = await OpenApiSecuritySchemes.DescribeAsync(services).ConfigureAwait(false);
            var built = OpenApiDocument.Build(RouteTable.All, prefix, callbackPath, schemes);
            options.ConfigureOpenApiDocument?.Invoke(built);
            return built.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        // Anything else under the prefix (an unknown route, GET on a POST route) still answers with the envelope.
        group.MapFallback(RouteHandlers.Of(_ => ErrorMapper.Error(ErrorMapper.Envelope(
            SalesforceEndpointErrors.NotFound, 404, EndpointErrorCodes.RouteNotFound, "No such route: the JSON routes take POST; see openapi.json under the prefix.")))).WithName("AtomSalesforce.fallback");
    }
}
