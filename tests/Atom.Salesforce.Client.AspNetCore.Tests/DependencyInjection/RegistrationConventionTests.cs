using System.Reflection;
using System.Runtime.CompilerServices;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Analytics.Pipeline;
using Atom.Salesforce.Client.AspNetCore;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Tests.DependencyInjection;

/// <summary>
/// One registration scheme across the packages, as dotnet/runtime, Npgsql, Azure and OpenTelemetry do it: a single entry
/// point family on <see cref="IServiceCollection"/> (<c>AddAtomSalesforce…</c>) returning <see cref="ISalesforceBuilder"/>,
/// each package chaining <c>.Add…()</c> on that builder, all in <c>Microsoft.Extensions.DependencyInjection</c>; the
/// endpoint mapping in <c>Microsoft.AspNetCore.Builder</c> beside <c>MapHealthChecks</c>.
/// </summary>
public sealed class RegistrationConventionTests
{
    private static readonly Assembly[] Packages =
    [
        typeof(SalesforceClient).Assembly, typeof(PostgresTokenStore).Assembly, typeof(PipelineAnalytics).Assembly,
        typeof(SalesforceEndpointOptions).Assembly,
    ];

    private static IEnumerable<MethodInfo> Extensions(Type receiver) => Packages
        .SelectMany(a => a.GetExportedTypes())
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Where(m => m.IsDefined(typeof(ExtensionAttribute)) && m.GetParameters()[0].ParameterType == receiver);

    [Fact]
    public void Every_service_collection_extension_is_an_AddAtomSalesforce_entry_point_returning_the_builder()
    {
        var methods = Extensions(typeof(IServiceCollection)).ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m =>
        {
            Assert.StartsWith("AddAtomSalesforce", m.Name, StringComparison.Ordinal);
            Assert.Equal(typeof(ISalesforceBuilder), m.ReturnType);
            Assert.Equal("Microsoft.Extensions.DependencyInjection", m.DeclaringType!.Namespace);
        });
    }

    [Fact]
    public void Every_builder_extension_is_named_for_what_it_adds_without_repeating_the_prefix()
    {
        var methods = Extensions(typeof(ISalesforceBuilder)).ToList();

        Assert.Equal(
            ["AddAnalytics", "AddApiBudgetStore", "AddApiGovernance", "AddEndpoints", "AddPostgresApiBudget", "AddPostgresTokenStore", "AddTokenStore", "AddWebhooks", "ConfigureHttpClient"],
            methods.Select(m => m.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.All(methods, m =>
        {
            Assert.DoesNotContain("AtomSalesforce", m.Name, StringComparison.Ordinal);
            Assert.Equal(typeof(ISalesforceBuilder), m.ReturnType);
            Assert.Equal("Microsoft.Extensions.DependencyInjection", m.DeclaringType!.Namespace);
        });
    }

    [Fact]
    public void The_endpoint_mapping_lives_beside_MapHealthChecks()
    {
        var map = Assert.Single(Extensions(typeof(IEndpointRouteBuilder)));

        Assert.Equal("MapAtomSalesforce", map.Name);
        Assert.Equal("Microsoft.AspNetCore.Builder", map.DeclaringType!.Namespace);
    }
}
