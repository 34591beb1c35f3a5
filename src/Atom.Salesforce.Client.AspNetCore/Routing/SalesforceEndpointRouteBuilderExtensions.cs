using Atom.Salesforce.Client.AspNetCore.Mapping;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// The extension lives where IEndpointRouteBuilder does, like MapHealthChecks and MapIdentityApi.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint pack.</summary>
public static class SalesforceEndpointRouteBuilderExtensions
{
    /// <summary>The prefix the routes are mapped under unless another is given.</summary>
    public const string DefaultPrefix = "/api/salesforce/enhanced";

    /// <summary>
    /// Maps the enhanced Salesforce routes under <paramref name="prefix"/>: accounts, contacts, opportunities and leads,
    /// pipeline analytics, health (GET and POST), the OAuth connect flow and the OpenAPI document (<c>{prefix}/openapi.json</c>).
    /// Every JSON route is a POST answering <c>{"ok": true, "data": ...}</c> or the error envelope. Conventions added to the
    /// returned group (<c>RequireAuthorization</c>, <c>RequireRateLimiting</c>, ...) apply to the whole pack. In trusted mode
    /// (<see cref="Atom.Salesforce.Client.AspNetCore.SalesforceEndpointOptions.TrustBodyUserId"/>) the host refuses to start
    /// unless the group requires authorization.
    /// </summary>
    /// <param name="endpoints">The application's route builder.</param>
    /// <param name="prefix">The route prefix; <see cref="DefaultPrefix"/> by default.</param>
    /// <exception cref="InvalidOperationException">
    /// <c>AddAtomSalesforce(...)</c> or <c>.AddEndpoints()</c> was not called on the services.
    /// </exception>
    public static RouteGroupBuilder MapAtomSalesforce(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException("The prefix must start with '/', for example /api/salesforce/enhanced.", nameof(prefix));
        }

        if (endpoints.ServiceProvider.GetService<ISalesforceClientFactory>() is null)
        {
            throw new InvalidOperationException(
                "MapAtomSalesforce needs the SDK: call builder.Services.AddAtomSalesforce(...).AddEndpoints() before building the app.");
        }

        if (endpoints.ServiceProvider.GetService<EndpointServices>() is null)
        {
            throw new InvalidOperationException(
                "MapAtomSalesforce needs the endpoint services: chain .AddEndpoints() on builder.Services.AddAtomSalesforce(...).");
        }

        if (endpoints.ServiceProvider.GetRequiredService<EndpointServices>() is { Options.AnalyticsFromMirror: true, MirrorData: null })
        {
            throw new InvalidOperationException(
                "SalesforceEndpointOptions.AnalyticsFromMirror is true but no ISalesDataSource is registered: chain .AddAtomSalesforceMirror(...) on builder.Services.AddAtomSalesforce(...), or set it to false.");
        }

        prefix = prefix.TrimEnd('/');
        endpoints.ServiceProvider.GetService<TrustedModeGuard.MappedRoutes>()?.Add(endpoints);
        var group = endpoints.MapGroup(prefix);
        foreach (var definition in RouteTable.All)
        {
            var handler = RouteHandlers.Of(http => EndpointRunner.RunAsync(definition, http));
            var route = group.MapPost(definition.Path, handler);
            route.WithName("AtomSalesforce." + definition.Path).WithTags("Salesforce " + definition.Tag);
            if (definition.AllowGet)
            {
                group.MapGet(definition.Path, handler)
                    .WithName("AtomSalesforce." + definition.Path + ".get").WithTags("Salesforce " + definition.Tag);
            }
        }

        AdditionalRoutes.Map(endpoints, group, prefix);
        return group;
    }
}
