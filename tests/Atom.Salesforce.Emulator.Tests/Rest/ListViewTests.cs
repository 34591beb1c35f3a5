using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Rest;

/// <summary>
/// List views (REST API Developer Guide: "List Views", "List View Describe", "List View Results", 32.0 and later): the
/// list names each view with its describe and results URLs; the describe gives columns, orderBy and a SOQL query that
/// runs; the results give columns and records whose cells follow the columns' order, with <c>limit</c> and
/// <c>offset</c>. Approval layouts of an object without approval processes are an empty list.
/// </summary>
public sealed class ListViewTests
{
    private const string Base = "/services/data/v66.0/sobjects/Account";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_list_names_a_view_whose_urls_answer_and_whose_results_follow_its_columns()
    {
        await using var org = new EmulatedOrg();
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        foreach (var name in new[] { "Globex", "acme", "Initech" })
        {
            org.Emulator.Org.Create(accounts, new Dictionary<string, object?> { ["Name"] = name });
        }

        using var list = await GetJson(org, Base + "/listviews");
        var view = list.RootElement.GetProperty("listviews").EnumerateArray().Single();
        using var info = await GetJson(org, view.GetProperty("url").GetString()!);
        using var describe = await GetJson(org, view.GetProperty("describeUrl").GetString()!);
        using var results = await GetJson(org, view.GetProperty("resultsUrl").GetString()!);
        using var page = await GetJson(org, view.GetProperty("resultsUrl").GetString()! + "?limit=2&offset=1");
        using var query = await GetJson(org, "/services/data/v66.0/query?q=" + Uri.EscapeDataString(describe.RootElement.GetProperty("query").GetString()!));

        Assert.Equal(("Account", 1, true), (list.RootElement.GetProperty("sobjectType").GetString(), list.RootElement.GetProperty("size").GetInt32(), list.RootElement.GetProperty("done").GetBoolean()));
        Assert.StartsWith("00B", view.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(view.GetProperty("id").GetString(), info.RootElement.GetProperty("id").GetString());
        Assert.Equal("Account", describe.RootElement.GetProperty("sobjectType").GetString());
        Assert.Equal(3, query.RootElement.GetProperty("totalSize").GetInt32());

        var columns = results.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("fieldNameOrPath").GetString()).ToList();
        Assert.Contains("Name", columns);
        Assert.Contains("Id", columns);
        var records = results.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(columns, r.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("fieldNameOrPath").GetString())));
        var nameIndex = columns.IndexOf("Name");
        Assert.Equal(["acme", "Globex", "Initech"], records.Select(r => r.GetProperty("columns")[nameIndex].GetProperty("value").GetString()));
        Assert.Equal((3, true), (results.RootElement.GetProperty("size").GetInt32(), results.RootElement.GetProperty("done").GetBoolean()));

        var paged = page.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("columns")[nameIndex].GetProperty("value").GetString());
        Assert.Equal(["Globex", "Initech"], paged);
    }

    [Fact]
    public async Task An_unknown_list_view_is_NOT_FOUND_not_an_external_id_lookup()
    {
        await using var org = new EmulatedOrg();

        using var response = await org.Http.GetAsync(new Uri(Base + "/listviews/00B000000000001AAA/results", UriKind.Relative), Ct);
        using var bare = await org.Http.GetAsync(new Uri(Base + "/listviews/00B000000000001AAA", UriKind.Relative), Ct);
        var body = await bare.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bare.StatusCode);
        Assert.Contains("NOT_FOUND", body, StringComparison.Ordinal);
        Assert.DoesNotContain("external ID", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Approval_layouts_of_an_object_without_approval_processes_are_an_empty_list()
    {
        await using var org = new EmulatedOrg();

        using var layouts = await GetJson(org, Base + "/describe/approvalLayouts");

        Assert.Equal(0, layouts.RootElement.GetProperty("approvalLayouts").GetArrayLength());
    }

    private static async Task<JsonDocument> GetJson(EmulatedOrg org, string path)
    {
        using var response = await org.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
