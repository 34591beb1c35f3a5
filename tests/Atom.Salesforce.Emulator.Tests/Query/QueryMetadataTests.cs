using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary><c>/query?explain=</c> query plans and <c>/query?q=...&amp;columns=true</c> column metadata.</summary>
public sealed class QueryMetadataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Explain_returns_plans_in_Salesforces_shape()
    {
        // RESTMD dome_query_explain: plans[] with cardinality, fields, leadingOperationType, notes, relativeCost,
        // sobjectCardinality and sobjectType.
        await using var org = QueryTestOrg.Create();
        org.Seed("Account", ("Name", "Acme"));
        org.Seed("Account", ("Name", "Beta"));

        using var response = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?explain=" + Uri.EscapeDataString("SELECT Id FROM Account WHERE Name = 'Acme'"), UriKind.Relative), Ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = Assert.Single(body.RootElement.GetProperty("plans").EnumerateArray());
        Assert.Equal(("Account", 1, 2), (plan.GetProperty("sobjectType").GetString(), plan.GetProperty("cardinality").GetInt32(), plan.GetProperty("sobjectCardinality").GetInt32()));
        Assert.Contains(plan.GetProperty("leadingOperationType").GetString(), new[] { "Index", "Other", "Sharing", "TableScan" });
        Assert.Equal(JsonValueKind.Number, plan.GetProperty("relativeCost").ValueKind);
        Assert.Equal((JsonValueKind.Array, JsonValueKind.Array), (plan.GetProperty("fields").ValueKind, plan.GetProperty("notes").ValueKind));
    }

    [Fact]
    public async Task Explain_of_a_malformed_query_is_MALFORMED_QUERY_and_of_an_unknown_id_INVALID_ID()
    {
        // RESTMD resources_query_performance_feedback: "If the SOQL query string is invalid, a MALFORMED_QUERY response
        // is returned. If the report or list view ID is invalid, an INVALID_ID response is returned."
        await using var org = QueryTestOrg.Create();

        using var malformed = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?explain=" + Uri.EscapeDataString("SELECT FROM Account"), UriKind.Relative), Ct);
        using var unknownId = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?explain=00OHs0000000001AAA", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("MALFORMED_QUERY", await malformed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownId.StatusCode);
        Assert.Contains("INVALID_ID", await unknownId.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Columns_true_answers_the_column_metadata_the_Salesforce_CLI_reads()
    {
        // The CLI's data query (plugin-data retrieveColumns) reads columnMetadata[].columnName, joinColumns, aggregate
        // and displayName: a parent relationship has join columns, a child subquery is an aggregate with join columns.
        await using var org = QueryTestOrg.Create();
        org.Seed("Account", ("Name", "Acme"));
        var soql = "SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account";

        using var response = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString(soql) + "&columns=true", UriKind.Relative), Ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = body.RootElement;
        var columns = root.GetProperty("columnMetadata").EnumerateArray().ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("Account", false, true, "001"), (root.GetProperty("entityName").GetString(), root.GetProperty("groupBy").GetBoolean(), root.GetProperty("idSelected").GetBoolean(), root.GetProperty("keyPrefix").GetString()));
        Assert.False(root.TryGetProperty("records", out _));
        Assert.Equal(["Id", "Name", "Owner", "Contacts"], columns.Select(c => c.GetProperty("columnName").GetString()));
        Assert.Equal(["Name"], columns[2].GetProperty("joinColumns").EnumerateArray().Select(c => c.GetProperty("columnName").GetString()));
        Assert.False(columns[2].GetProperty("aggregate").GetBoolean());
        Assert.True(columns[3].GetProperty("aggregate").GetBoolean());
        Assert.Equal(["LastName"], columns[3].GetProperty("joinColumns").EnumerateArray().Select(c => c.GetProperty("columnName").GetString()));
        Assert.Equal(("Id", "String"), (columns[0].GetProperty("apexType").GetString(), columns[1].GetProperty("apexType").GetString()));
        Assert.All(columns, c =>
        {
            foreach (var name in new[] { "aggregate", "apexType", "booleanType", "columnName", "custom", "displayName", "foreignKeyName", "insertable", "joinColumns", "numberType", "textType", "updatable" })
            {
                Assert.True(c.TryGetProperty(name, out _), name);
            }
        });
    }

    [Fact]
    public async Task Columns_true_marks_an_aggregate_query_and_its_function_columns()
    {
        await using var org = QueryTestOrg.Create();
        org.Seed("Account", ("Name", "Acme"), ("Industry", "Energy"));

        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString("SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry") + "&columns=true", UriKind.Relative), Ct));
        var columns = body.RootElement.GetProperty("columnMetadata").EnumerateArray().ToArray();

        Assert.True(body.RootElement.GetProperty("groupBy").GetBoolean());
        Assert.Equal(["Industry", "expr0"], columns.Select(c => c.GetProperty("columnName").GetString()));
        Assert.True(columns[1].GetProperty("aggregate").GetBoolean());
    }
}
