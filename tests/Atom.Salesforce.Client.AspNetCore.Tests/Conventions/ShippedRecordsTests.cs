using Atom.Salesforce.Client.Analytics;
using Atom.Salesforce.Client.Analytics.Testing;
using Atom.Salesforce.Client.Postgres;
using Atom.Salesforce.Client.Tests.Conventions;
using Atom.Salesforce.Emulator;
using Microsoft.AspNetCore.Builder;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Conventions;

/// <summary>
/// No shipped package has a positional public record (issue 17, "Results that can grow"): adding a property to one would
/// change its constructor and <c>Deconstruct</c> and break compiled callers.
/// </summary>
public sealed class ShippedRecordsTests
{
    [Fact]
    public void No_shipped_package_has_a_positional_public_record()
    {
        var packages = new[]
        {
            typeof(SalesforceClient).Assembly,
            typeof(AnalyticsModelFactory).Assembly,
            typeof(SalesforceEndpointRouteBuilderExtensions).Assembly,
            typeof(PostgresTokenStore).Assembly,
            typeof(SalesforceEmulator).Assembly,
        };

        Assert.Equal(5, packages.Distinct().Count());
        Assert.All(packages, p => Assert.Empty(ModelFactoryConventions.PositionalRecords(p)));
    }
}
