using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>
/// Address compound fields (SOAP API guide "Compound Fields" / "Address Compound Fields"; SOQL reference): describe lists
/// them with type <c>address</c> and names them as <c>compoundFieldName</c> on their components; SELECT returns the
/// address object; WHERE cannot use them.
/// </summary>
public sealed class CompoundFieldTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Account", "BillingAddress", "BillingCity")]
    [InlineData("Account", "ShippingAddress", "ShippingStreet")]
    [InlineData("Contact", "MailingAddress", "MailingPostalCode")]
    [InlineData("Lead", "Address", "Country")]
    public async Task Describe_lists_the_compound_field_and_names_it_on_its_components(string type, string compound, string component)
    {
        await using var org = new EmulatedOrg();

        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri($"/services/data/v66.0/sobjects/{type}/describe", UriKind.Relative), Ct));
        var fields = body.RootElement.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);

        Assert.Equal(("address", false, false, false), (fields[compound].GetProperty("type").GetString(), fields[compound].GetProperty("filterable").GetBoolean(), fields[compound].GetProperty("createable").GetBoolean(), fields[compound].GetProperty("updateable").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, fields[compound].GetProperty("compoundFieldName").ValueKind);
        Assert.Equal(compound, fields[component].GetProperty("compoundFieldName").GetString());
        var prefix = compound[..^"Address".Length];
        Assert.Equal(compound, fields[prefix + "Latitude"].GetProperty("compoundFieldName").GetString());
        Assert.Equal(compound, fields[prefix + "GeocodeAccuracy"].GetProperty("compoundFieldName").GetString());
    }

    [Fact]
    public async Task Selecting_an_address_returns_the_address_object_and_null_when_it_is_empty()
    {
        await using var org = QueryTestOrg.Create();
        org.Seed("Account", ("Name", "Acme"), ("BillingStreet", "1 Main St"), ("BillingCity", "Springfield"), ("BillingState", "IL"), ("BillingPostalCode", "62701"), ("BillingCountry", "United States"));
        org.Seed("Account", ("Name", "Empty"));

        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString("SELECT Name, BillingAddress FROM Account ORDER BY Name"), UriKind.Relative), Ct));
        var records = body.RootElement.GetProperty("records");
        var address = records[0].GetProperty("BillingAddress");

        Assert.Equal(
            ["city", "country", "geocodeAccuracy", "latitude", "longitude", "postalCode", "state", "street"],
            address.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("1 Main St", "Springfield", "IL", "62701", "United States"), (address.GetProperty("street").GetString(), address.GetProperty("city").GetString(), address.GetProperty("state").GetString(), address.GetProperty("postalCode").GetString(), address.GetProperty("country").GetString()));
        Assert.Equal(JsonValueKind.Null, address.GetProperty("latitude").ValueKind);
        Assert.Equal(JsonValueKind.Null, records[1].GetProperty("BillingAddress").ValueKind);
    }

    [Fact]
    public async Task An_address_cannot_be_filtered_or_written_and_Bulk_queries_refuse_it()
    {
        await using var org = QueryTestOrg.Create();

        using var filtered = await org.Http.GetAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString("SELECT Id FROM Account WHERE BillingAddress != null"), UriKind.Relative), Ct);
        using var written = await org.Http.PostAsJsonAsync("/services/data/v66.0/sobjects/Account", new { Name = "X", BillingAddress = new { city = "Paris" } }, Ct);
        using var bulk = await org.Http.PostAsJsonAsync("/services/data/v66.0/jobs/query", new { operation = "query", query = "SELECT Id, BillingAddress FROM Account" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, filtered.StatusCode);
        Assert.Contains("INVALID_FIELD", await filtered.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, written.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
    }
}
