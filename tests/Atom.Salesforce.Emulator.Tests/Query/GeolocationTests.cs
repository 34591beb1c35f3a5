using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>
/// Geolocation compound fields (SOAP API Developer Guide, "Compound Fields" / "Geolocation Compound Field"; SOQL and SOSL
/// Reference, "DISTANCE" and "GEOLOCATION"): a custom <c>Location__c</c> has the components <c>Location__Latitude__s</c>
/// and <c>Location__Longitude__s</c>; describe types it <c>location</c>; SELECT returns <c>{latitude, longitude}</c>;
/// DISTANCE filters and orders by great-circle distance, for geolocation fields and address geocodes alike. Distances are
/// asserted with a margin: Salesforce does not document the earth radius it uses.
/// </summary>
public sealed class GeolocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmulatedOrg Org()
    {
        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Location__c", FieldType.Location) { Scale = 6 }];
        var org = new EmulatedOrg(options);
        var accounts = org.Emulator.Org.Schema.Find("Account")!;
        void Add(string name, decimal? latitude, decimal? longitude) => org.Emulator.Org.Create(accounts, new Dictionary<string, object?>
        {
            ["Name"] = name, ["Location__Latitude__s"] = latitude, ["Location__Longitude__s"] = longitude,
            ["BillingLatitude"] = latitude, ["BillingLongitude"] = longitude,
        });
        Add("San Francisco", 37.7749m, -122.4194m);
        Add("Oakland", 37.8044m, -122.2712m);
        Add("Los Angeles", 34.0522m, -118.2437m);
        Add("Nowhere", null, null);
        return org;
    }

    [Fact]
    public async Task Describe_types_the_field_location_and_names_it_on_its_components()
    {
        await using var org = Org();

        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/sobjects/Account/describe", UriKind.Relative), Ct));
        var fields = body.RootElement.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(("location", "urn:location", false, false), (fields["Location__c"].GetProperty("type").GetString(), fields["Location__c"].GetProperty("soapType").GetString(), fields["Location__c"].GetProperty("createable").GetBoolean(), fields["Location__c"].GetProperty("updateable").GetBoolean()));
        Assert.Equal(("double", "Location__c", 6), (fields["Location__Latitude__s"].GetProperty("type").GetString(), fields["Location__Latitude__s"].GetProperty("compoundFieldName").GetString(), fields["Location__Latitude__s"].GetProperty("scale").GetInt32()));
        Assert.Equal("Location__c", fields["Location__Longitude__s"].GetProperty("compoundFieldName").GetString());
    }

    [Fact]
    public async Task Selecting_the_field_returns_latitude_and_longitude_and_null_without_them()
    {
        await using var org = Org();

        using var body = await Query(org, "SELECT Name, Location__c FROM Account WHERE Name IN ('San Francisco', 'Nowhere') ORDER BY Name");
        var records = body.RootElement.GetProperty("records");

        Assert.Equal(JsonValueKind.Null, records[0].GetProperty("Location__c").ValueKind);
        var location = records[1].GetProperty("Location__c");
        Assert.Equal(["latitude", "longitude"], location.EnumerateObject().Select(p => p.Name));
        Assert.Equal((37.7749m, -122.4194m), (location.GetProperty("latitude").GetDecimal(), location.GetProperty("longitude").GetDecimal()));
    }

    [Theory]
    [InlineData("Location__c")]
    [InlineData("BillingAddress")]
    public async Task DISTANCE_filters_and_orders_by_distance_from_a_point(string field)
    {
        await using var org = Org();

        using var near = await Query(org, $"SELECT Name FROM Account WHERE DISTANCE({field}, GEOLOCATION(37.7749, -122.4194), 'km') < 50 ORDER BY DISTANCE({field}, GEOLOCATION(37.7749, -122.4194), 'km')");
        using var far = await Query(org, $"SELECT Name FROM Account WHERE DISTANCE({field}, GEOLOCATION(37.7749, -122.4194), 'mi') > 300 AND DISTANCE({field}, GEOLOCATION(37.7749, -122.4194), 'mi') < 400");

        // San Francisco to Oakland is about 13 km; to Los Angeles about 559 km (347 mi).
        Assert.Equal(["San Francisco", "Oakland"], near.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
        Assert.Equal(["Los Angeles"], far.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task The_compound_field_cannot_be_compared_directly()
    {
        await using var org = Org();

        using var response = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString("SELECT Name FROM Account WHERE Location__c = null"), UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<JsonDocument> Query(EmulatedOrg org, string soql)
    {
        using var response = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString(soql), UriKind.Relative), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }
}
