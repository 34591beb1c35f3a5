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
        typeof(Atom.Salesforce.Client.Mirror.SalesforceMirror).Assembly,
    ];

    /// <summary>
    /// Known cycles not yet removed (issue 17): the namespaces of each knot. A cycle outside these sets, or a knot that grows,
    /// fails; a namespace that has left its knot must be taken off this list (the list only shrinks). Empty for the core.
    /// </summary>
    private static readonly Dictionary<string, string[]> KnownKnots = new(StringComparer.Ordinal)
    {
        ["Atom.Salesforce.Emulator"] =
            ["", "Apex", "Bulk", "BulkV1", "Composite", "Faults", "Hosting", "Http", "OAuth", "Query", "Rest", "Soap"],
    };

    public static TheoryData<string> ShippedAssemblies => [.. Shipped.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void Namespaces_of_a_shipped_assembly_form_no_cycle(string assemblyName)
    {
        var graph = NamespaceGraph.Read(Shipped.Single(a => a.GetName().Name == assemblyName).Location);
        var known = KnownKnots.TryGetValue(assemblyName, out var names)
            ? names.Select(n => n.StartsWith("Microsoft.", StringComparison.Ordinal) ? n : n.Length == 0 ? assemblyName : $"{assemblyName}.{n}").ToHashSet(StringComparer.Ordinal)
            : [];

        var cycles = graph.Cycles(known);

        Assert.True(cycles.Count == 0, $"Namespace cycles in {assemblyName}:{Environment.NewLine}{string.Join(Environment.NewLine, cycles)}");
        var healed = known.Where(ns => !graph.InCycle(ns)).Order(StringComparer.Ordinal).ToList();
        Assert.True(healed.Count == 0, $"No longer in a cycle; remove from KnownKnots: {string.Join(", ", healed)}");
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
