using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Mapping;

/// <summary>
/// Trusted mode (<see cref="SalesforceEndpointOptions.TrustBodyUserId"/>) lets the caller name any user, so the host refuses
/// to start unless every JSON route of the pack requires authorization: <c>MapAtomSalesforce().RequireAuthorization(...)</c>,
/// or an authorization fallback policy, and no <c>AllowAnonymous</c> on them.
/// </summary>
internal sealed class TrustedModeGuard(IOptions<SalesforceEndpointOptions> options, IServiceProvider services, TrustedModeGuard.MappedRoutes mapped) : IHostedService
{
    /// <summary>The route builders <c>MapAtomSalesforce</c> mapped the pack on: the app's endpoints are not composed yet when hosted services start.</summary>
    internal sealed class MappedRoutes
    {
        private readonly List<IEndpointRouteBuilder> _builders = [];

        public void Add(IEndpointRouteBuilder builder)
        {
            lock (_builders)
            {
                if (!_builders.Contains(builder))
                {
                    _builders.Add(builder);
                }
            }
        }

        public IReadOnlyList<Endpoint> Endpoints()
        {
            lock (_builders)
            {
                return [.. _builders.SelectMany(b => b.DataSources).SelectMany(d => d.Endpoints)];
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.TrustBodyUserId)
        {
            Check(services, mapped.Endpoints());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static void Check(IServiceProvider services, IReadOnlyList<Endpoint> endpoints)
    {
        var names = RouteTable.All.SelectMany(d => new[] { "AtomSalesforce." + d.Path, "AtomSalesforce." + d.Path + ".get" }).ToHashSet(StringComparer.Ordinal);
        var fallback = services.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy;
        var open = endpoints
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name && names.Contains(name.EndpointName))
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || (fallback is null && e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<AuthorizationPolicy>() is null))
            .Select(e => (e as RouteEndpoint)?.RoutePattern.RawText ?? e.DisplayName ?? "?")
            .ToList();
        if (open.Count > 0)
        {
            throw new InvalidOperationException(
                "Salesforce:Endpoints:TrustBodyUserId is on, so any caller of the endpoint pack can act as any user, but these routes do not require "
                + $"authorization: {string.Join(", ", open.Take(5))}{(open.Count > 5 ? ", ..." : string.Empty)}. Add it to the group "
                + "(app.MapAtomSalesforce().RequireAuthorization(\"ServicePolicy\")) with a policy only trusted services meet, or turn trusted mode off.");
        }
    }
}
