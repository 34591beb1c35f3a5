using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Rest;

/// <summary>
/// <c>GET /limits/recordCount</c> (REST API Developer Guide, "Record Count", resources_record_count): API 40.0 and later,
/// <c>{"sObjects":[{"count":3,"name":"Account"},...]}</c>; a listed object the org does not have is ignored and not
/// returned; without <c>sObjects</c>, every object; records in the recycle bin and associated objects (History, Share,
/// Feed, ChangeEvent) are not counted.
/// </summary>
public sealed class RecordCountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_the_listed_objects_without_the_recycle_bin_and_ignores_unknown_ones()
    {
        await using var org = new EmulatedOrg();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await org.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Counted {i}" }, Ct));
        }

        await org.Client.SObjects.CreateAsync("Contact", new SObject("Contact") { ["LastName"] = "Counted" }, Ct);
        await org.Client.SObjects.DeleteAsync("Account", ids[0], Ct);

        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/limits/recordCount?sObjects=Account,Contact,NoSuchThing__c", UriKind.Relative), Ct));

        var counts = body.RootElement.GetProperty("sObjects").EnumerateArray().Select(o => (o.GetProperty("name").GetString(), o.GetProperty("count").GetInt32()));
        Assert.Equal([("Account", 2), ("Contact", 1)], counts.OrderBy(c => c.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_list_every_object_but_the_associated_ones_and_before_40_0_no_such_resource()
    {
        await using var org = new EmulatedOrg();
        await org.Client.SObjects.CreateAsync("Lead", new SObject("Lead") { ["LastName"] = "Counted", ["Company"] = "Acme" }, Ct);

        using var all = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/limits/recordCount", UriKind.Relative), Ct));
        using var old = await org.Http.GetAsync(new Uri("/services/data/v39.0/limits/recordCount", UriKind.Relative), Ct);

        var names = all.RootElement.GetProperty("sObjects").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("count").GetInt32());
        Assert.Equal(1, names["Lead"]);
        Assert.Contains("Opportunity", names.Keys);
        Assert.DoesNotContain("OpportunityHistory", names.Keys);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }
}
