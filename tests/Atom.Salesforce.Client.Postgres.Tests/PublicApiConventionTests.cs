using System.Reflection;
using Atom.Salesforce.Client.Errors;

namespace Atom.Salesforce.Client.Postgres.Tests;

/// <summary>The core package's public API rules, checked over the PostgreSQL package.</summary>
public sealed class PublicApiConventionTests
{
    private static readonly Type[] PublicTypes = typeof(PostgresTokenStore).Assembly.GetExportedTypes();

    [Fact]
    public void Every_public_async_method_ends_with_an_optional_CancellationToken()
    {
        var offenders = PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .Where(m => m.GetParameters().LastOrDefault() is not { Name: "cancellationToken", HasDefaultValue: true } last || last.ParameterType != typeof(CancellationToken))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        Assert.Empty(offenders);
    }

    [Fact]
    public void Exceptions_are_sealed_SalesforceExceptions_and_types_live_in_the_namespace_of_their_folder()
    {
        Assert.All(PublicTypes.Where(t => typeof(Exception).IsAssignableFrom(t)), t =>
        {
            Assert.True(t.IsSealed, t.Name);
            Assert.True(typeof(SalesforceException).IsAssignableFrom(t), t.Name);
            Assert.Equal("Atom.Salesforce.Client.Postgres.Errors", t.Namespace);
        });
        Assert.All(PublicTypes, t => Assert.Contains(t.Namespace, new[]
        {
            "Atom.Salesforce.Client.Postgres", "Microsoft.Extensions.DependencyInjection",
            "Atom.Salesforce.Client.Postgres.Encryption", "Atom.Salesforce.Client.Postgres.Errors", "Atom.Salesforce.Client.Postgres.Migrations",
        }));
    }
}
