using System.Reflection;
using Atom.Salesforce.Soql.Errors;

namespace Atom.Salesforce.Soql.Tests;

/// <summary>
/// Issue 17: the SOQL language is its own package, which the client, the emulator and the endpoint pack reference; it
/// references none of them, and its exceptions are in its Errors namespace.
/// </summary>
public sealed class PackageBoundaryTests
{
    private static readonly Assembly Soql = typeof(SoqlQuery).Assembly;

    [Fact]
    public void The_soql_assembly_references_no_other_atom_assembly()
    {
        var atom = Soql.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Atom.", StringComparison.Ordinal))
            .ToList();

        Assert.Equal("Atom.Salesforce.Soql", Soql.GetName().Name);
        Assert.Empty(atom);
    }

    [Fact]
    public void Every_public_type_is_in_the_package_namespace_and_exceptions_in_its_Errors_namespace()
    {
        var types = Soql.GetExportedTypes();
        var exceptions = types.Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        Assert.All(types.Except(exceptions), t => Assert.Equal("Atom.Salesforce.Soql", t.Namespace));
        Assert.Equal([typeof(SoqlFilterException), typeof(SoqlSyntaxException)], exceptions.OrderBy(t => t.Name, StringComparer.Ordinal));
        Assert.All(exceptions, t => Assert.Equal("Atom.Salesforce.Soql.Errors", t.Namespace));
    }

    [Fact]
    public void A_syntax_error_is_a_format_error_that_says_where()
    {
        var e = Assert.Throws<SoqlSyntaxException>(() => SoqlQuery.Parse("SELECT Id FROM Account WHERE"));

        Assert.IsAssignableFrom<FormatException>(e);
        Assert.Equal(1, e.Line);
        Assert.Equal(29, e.Column);
        Assert.Null(e.Token);
    }

    [Fact]
    public void A_refused_filter_is_a_format_error_with_the_syntax_error_behind_it()
    {
        var e = Assert.Throws<SoqlFilterException>(() => new SoqlFilter(["Name"]).Parse("Name ="));

        Assert.IsAssignableFrom<FormatException>(e);
        Assert.IsType<SoqlSyntaxException>(e.InnerException);
    }
}
