using System.Reflection;

namespace Atom.Salesforce.Client.Tests.Architecture;

/// <summary>
/// docs/architecture.md: inside a shipped package, namespaces form layers — a namespace depends only on namespaces below it,
/// so no namespace cycle exists, internal types included. The graph is read from each assembly's IL (NamespaceGraph).
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>Every shipped assembly: a new package is one line here.</summary>
    private static readonly Assembly[] Shipped =
    [
        typeof(SalesforceClient).Assembly,
        typeof(Atom.Salesforce.Client.Analytics.Pipeline.PipelineAnalytics).Assembly,
        typeof(Atom.Salesforce.Client.Postgres.PostgresTokenStore).Assembly,
        typeof(Atom.Salesforce.Client.AspNetCore.SalesforceEndpointOptions).Assembly,
        typeof(Atom.Salesforce.Emulator.SalesforceEmulator).Assembly,
        // No public type yet (the Pub/Sub client is being written): loaded by name, a project reference of this test.
        Assembly.Load("Atom.Salesforce.Client.Streaming"),
        typeof(Microsoft.Extensions.DependencyInjection.CachingSalesforceBuilderExtensions).Assembly,
        typeof(Atom.Salesforce.Client.Redis.RedisApiBudgetStore).Assembly,
        typeof(Atom.Salesforce.Client.Mirror.SalesforceMirror).Assembly,
    ];

    public static TheoryData<string> ShippedAssemblies => [.. Shipped.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void Namespaces_of_a_shipped_assembly_form_no_cycle(string assemblyName)
    {
        var graph = NamespaceGraph.Read(Shipped.Single(a => a.GetName().Name == assemblyName).Location);

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, $"Namespace cycles in {assemblyName}:{Environment.NewLine}{string.Join(Environment.NewLine, cycles)}");
    }

    [Fact]
    public void The_graph_sees_the_dependencies_it_must_see()
    {
        // The check is only as good as the reader: the client's root namespace uses the Http layer (a field of
        // SalesforceClient), the JSON metadata at the top lists Records (an attribute's typeof), and a namespace's own types
        // are no dependency.
        var graph = NamespaceGraph.Read(typeof(SalesforceClient).Assembly.Location);

        Assert.Contains("Atom.Salesforce.Client.Http", graph.DependenciesOf("Atom.Salesforce.Client").Keys);
        Assert.Contains("Atom.Salesforce.Client.Records", graph.DependenciesOf("Atom.Salesforce.Client").Keys);
        Assert.All(graph.Namespaces, ns => Assert.DoesNotContain(ns, graph.DependenciesOf(ns).Keys));
    }
}
