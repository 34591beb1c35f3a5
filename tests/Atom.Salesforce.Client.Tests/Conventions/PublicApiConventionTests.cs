using System.Reflection;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Tests.Conventions;

/// <summary>The rules of the public surface, checked over every public type of the core package.</summary>
public sealed class PublicApiConventionTests
{
    private static readonly Assembly Sdk = typeof(SalesforceClient).Assembly;

    private static IEnumerable<Type> PublicTypes => Sdk.GetExportedTypes();

    private static IEnumerable<MethodInfo> PublicMethods => PublicTypes.SelectMany(t =>
        t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => !m.IsSpecialName);

    [Fact]
    public void Every_public_async_method_ends_with_an_optional_CancellationToken()
    {
        var offenders = PublicMethods
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && m.DeclaringType != typeof(Atom.Salesforce.Client.Query.SalesforcePageable<>))
            .Where(m => m.Name != nameof(IAsyncDisposable.DisposeAsync)) // the framework's signature, as in the PostgreSQL package
            .Where(m =>
            {
                var last = m.GetParameters().LastOrDefault();
                return last is null || last.ParameterType != typeof(CancellationToken) || !last.HasDefaultValue || last.Name != "cancellationToken";
            })
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void No_dependency_type_appears_in_the_public_API()
    {
        static IEnumerable<Type> Mentioned(MethodBase m) =>
            m.GetParameters().Select(p => p.ParameterType).Concat(m is MethodInfo mi ? [mi.ReturnType] : []);

        var types = PublicTypes.SelectMany(t =>
                t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).SelectMany(Mentioned)
                    .Concat(t.GetConstructors().SelectMany(Mentioned))
                    .Concat(t.GetProperties().Select(p => p.PropertyType))
                    .Append(t.BaseType ?? typeof(object))
                    .Concat(t.GetInterfaces()))
            .SelectMany(Flatten)
            .Where(t => t.Namespace is { } ns && (ns.StartsWith("Refit", StringComparison.Ordinal) || ns.StartsWith("Polly", StringComparison.Ordinal) || ns.StartsWith("Npgsql", StringComparison.Ordinal)))
            .Select(t => t.FullName)
            .Distinct()
            .ToList();

        Assert.Empty(types);

        static IEnumerable<Type> Flatten(Type t) =>
            t.IsGenericType ? t.GetGenericArguments().SelectMany(Flatten).Prepend(t) : t.HasElementType ? Flatten(t.GetElementType()!) : [t];
    }

    [Fact]
    public void Exceptions_are_sealed_unless_they_are_bases()
    {
        var bases = new[] { typeof(SalesforceException), typeof(SalesforceApiException), typeof(BulkJobException) };

        var unsealed = PublicTypes.Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsSealed && !bases.Contains(t)).ToList();

        Assert.Empty(unsealed);
        Assert.All(PublicTypes.Where(t => typeof(Exception).IsAssignableFrom(t)), t => Assert.True(typeof(SalesforceException).IsAssignableFrom(t), t.Name));
    }

    [Fact]
    public void Clients_are_mockable_every_public_member_virtual_and_a_protected_constructor()
    {
        var clients = PublicTypes.Where(t => t.Name.EndsWith("Client", StringComparison.Ordinal) && t.IsClass).ToList();

        Assert.Contains(typeof(SalesforceClient), clients);
        foreach (var client in clients)
        {
            Assert.False(client.IsSealed, client.Name);
            Assert.Contains(client.GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance), c => c.IsFamily && c.GetParameters().Length == 0);
            Assert.Empty(client.GetConstructors());
            var nonVirtual = client.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsVirtual).Select(m => m.Name).ToList();
            Assert.Empty(nonVirtual);
        }
    }

    [Fact]
    public void A_public_type_lives_in_the_namespace_of_its_folder()
    {
        var allowed = new[]
        {
            "Atom.Salesforce.Client", "Atom.Salesforce.Client.Auth", "Atom.Salesforce.Client.DependencyInjection", "Atom.Salesforce.Client.Errors",
            "Atom.Salesforce.Client.Limits", "Atom.Salesforce.Client.Query", "Atom.Salesforce.Client.Records", "Atom.Salesforce.Client.Resilience",
            "Atom.Salesforce.Client.Soql", "Atom.Salesforce.Client.Telemetry", "Atom.Salesforce.Client.Composite", "Atom.Salesforce.Client.Bulk",
            "Atom.Salesforce.Client.ApexRest",
            // The cache seam the caching package implements (below Http and Auth in docs/architecture.md).
            "Atom.Salesforce.Client.Caching",
            // The API governance: the budget store seam the Redis and PostgreSQL packages implement, priorities, options.
            "Atom.Salesforce.Client.Governance",
            // docs/architecture.md: shared results at the bottom layer, the options one layer up.
            "Atom.Salesforce.Client.Models", "Atom.Salesforce.Client.Configuration",
            // Registration extensions only, where IServiceCollection lives (AddHttpClient, AddNpgsqlDataSource).
            "Microsoft.Extensions.DependencyInjection",
        };

        Assert.All(PublicTypes, t => Assert.Contains(t.Namespace, allowed));
    }
}
