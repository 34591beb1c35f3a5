using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>
/// The pack acts for the user the host signed in (<see cref="SalesforceEndpointOptions.UserIdClaimType"/>), so its document
/// describes the host's own authentication schemes as OpenAPI security schemes: a cookie scheme as an API key in that
/// cookie, a JWT bearer or bearer-token scheme as HTTP bearer. Schemes it cannot describe (a custom handler) are left out.
/// </summary>
internal static class OpenApiSecuritySchemes
{
    public static async Task<JsonObject> DescribeAsync(IServiceProvider services)
    {
        var result = new JsonObject();
        if (services.GetService<IAuthenticationSchemeProvider>() is not { } provider)
        {
            return result;
        }

        foreach (var scheme in await provider.GetAllSchemesAsync().ConfigureAwait(false))
        {
            if (typeof(CookieAuthenticationHandler).IsAssignableFrom(scheme.HandlerType))
            {
                var cookie = services.GetService<IOptionsMonitor<CookieAuthenticationOptions>>()?.Get(scheme.Name).Cookie.Name
                    ?? CookieAuthenticationDefaults.CookiePrefix + scheme.Name;
                result[scheme.Name] = new JsonObject
                {
                    ["type"] = "apiKey",
                    ["in"] = "cookie",
                    ["name"] = cookie,
                    ["description"] = $"The host's cookie sign-in (scheme {scheme.Name}): once the user has signed in, the browser sends the cookie {cookie} with every request.",
                };
            }
            else if (IsBearer(scheme.HandlerType))
            {
                result[scheme.Name] = new JsonObject
                {
                    ["type"] = "http",
                    ["scheme"] = "bearer",
                    ["description"] = $"The host's bearer sign-in (scheme {scheme.Name}): Authorization: Bearer <token>.",
                };
            }
        }

        return result;
    }

    // By name: the JWT bearer handler lives in a package the pack does not reference.
    private static bool IsBearer(Type handler)
    {
        for (var type = handler; type is not null; type = type.BaseType)
        {
            if (type.Name is "JwtBearerHandler" or "BearerTokenHandler")
            {
                return true;
            }
        }

        return false;
    }
}
