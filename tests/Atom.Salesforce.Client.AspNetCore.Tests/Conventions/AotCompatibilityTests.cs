using System.Reflection;
using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Testing;
using Atom.Salesforce.Client.Postgres;
using Atom.Salesforce.Soql;
using Microsoft.AspNetCore.Builder;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Conventions;

/// <summary>
/// Every shipped library except the emulator is AOT-compatible (issue 17, "AOT and trimming"): the SDK marks an
/// AOT-compatible assembly trimmable (<c>[assembly: AssemblyMetadata("IsTrimmable", "True")]</c>), which is what trimming
/// and NativeAOT publishing read, and the build then fails on any trimming or AOT warning in it.
/// </summary>
public sealed class AotCompatibilityTests
{
    [Fact]
    public void Every_shipped_library_except_the_emulator_is_marked_trimmable()
    {
        var libraries = new[]
        {
            typeof(SalesforceClient).Assembly,
            typeof(SoqlQuery).Assembly,
            typeof(AnalyticsModelFactory).Assembly,
            typeof(PostgresTokenStore).Assembly,
            typeof(SalesforceEndpointRouteBuilderExtensions).Assembly,
        };

        Assert.Equal(5, libraries.Distinct().Count());
        Assert.All(libraries, library => Assert.Contains(
            library.GetCustomAttributes<AssemblyMetadataAttribute>(),
            a => a.Key == "IsTrimmable" && a.Value == "True"));
    }
}
