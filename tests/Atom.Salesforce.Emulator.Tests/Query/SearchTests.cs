using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>SOSL FIND over name, email and phone fields with RETURNING.</summary>
public sealed class SearchTests
{
    private static EmulatedOrg Org()
    {
        var org = QueryTestOrg.Create();
        var acme = org.Seed("Account", ("Name", "Acme Corporation"), ("Phone", "(415) 555-1212"), ("Industry", "Energy"));
        org.Seed("Account", ("Name", "Acme Labs"), ("Industry", "Media"));
        org.Seed("Account", ("Name", "Globex"));
        org.Seed("Contact", ("FirstName", "Wile"), ("LastName", "Coyote"), ("AccountId", acme), ("Email", "wile@acme.test"));
        org.Seed("Lead", ("LastName", "Acme-Smith"), ("Company", "Road Runner Inc"));
        return org;
    }

    private static async Task<List<SObject>> Search(EmulatedOrg org, string sosl) =>
        [.. await org.Client.Query.SearchAsync<SObject>(sosl, QueryTestOrg.Ct)];

    [Fact]
    public async Task FIND_matches_whole_words_of_name_fields_case_insensitively_with_wildcards_and_phrases()
    {
        await using var org = Org();

        var acme = await Search(org, "FIND {acme} IN NAME FIELDS RETURNING Account(Name ORDER BY Name), Lead(LastName)");
        var wildcard = await Search(org, "FIND {glob*} RETURNING Account(Name)");
        var phrase = await Search(org, "FIND {\"acme labs\"} RETURNING Account(Name)");
        var either = await Search(org, "FIND {Globex OR Labs} RETURNING Account(Name ORDER BY Name)");
        var not = await Search(org, "FIND {Acme AND NOT Labs} RETURNING Account(Name)");
        var partial = await Search(org, "FIND {Acm} RETURNING Account(Name)");

        Assert.Equal([("Account", "Acme Corporation"), ("Account", "Acme Labs"), ("Lead", null)], acme.Select(r => (r.Type, r.Get<string>("Name"))));
        Assert.Equal("Acme-Smith", acme[2].Get<string>("LastName"));
        Assert.Equal(["Globex"], wildcard.Select(r => r.Get<string>("Name")));
        Assert.Equal(["Acme Labs"], phrase.Select(r => r.Get<string>("Name")));
        Assert.Equal(["Acme Labs", "Globex"], either.Select(r => r.Get<string>("Name")));
        Assert.Equal(["Acme Corporation"], not.Select(r => r.Get<string>("Name")));
        Assert.Empty(partial);
    }

    [Fact]
    public async Task ALL_FIELDS_also_searches_email_and_phone_and_RETURNING_filters_and_limits()
    {
        await using var org = Org();

        var byEmail = await Search(org, "FIND {wile@acme.test} IN ALL FIELDS RETURNING Contact(Id, Name, Account.Name)");
        var byPhone = await Search(org, "FIND {555-1212} IN PHONE FIELDS RETURNING Account(Name)");
        var notInNames = await Search(org, "FIND {wile@acme.test} IN NAME FIELDS RETURNING Contact(Name)");
        var filtered = await Search(org, "FIND {Acme} RETURNING Account(Name WHERE Industry = 'Media')");
        var limited = await Search(org, "FIND {Acme} RETURNING Account(Name ORDER BY Name DESC LIMIT 1)");
        var everywhere = await Search(org, "FIND {Acme}");

        Assert.Equal(("Wile Coyote", "Acme Corporation"), (byEmail.Single().Get<string>("Name"), byEmail.Single().Get<string>("Account.Name")));
        Assert.Equal(["Acme Corporation"], byPhone.Select(r => r.Get<string>("Name")));
        Assert.Empty(notInNames);
        Assert.Equal(["Acme Labs"], filtered.Select(r => r.Get<string>("Name")));
        Assert.Equal(["Acme Labs"], limited.Select(r => r.Get<string>("Name")));
        Assert.Equal(["Account", "Account", "Contact", "Lead"], everywhere.Select(r => r.Type));
        Assert.All(everywhere, r => Assert.Equal((true, 0), (r.Id is { Length: 18 }, r.FieldCount)));
    }

    [Fact]
    public async Task The_wire_shape_is_searchRecords_and_bad_statements_are_MALFORMED_SEARCH()
    {
        await using var org = Org();

        var (status, body) = await org.GetAsync("/services/data/v66.0/search?q=" + Uri.EscapeDataString("FIND {Globex} RETURNING Account(Id)"));
        var (_, empty) = await org.GetAsync("/services/data/v66.0/search?q=" + Uri.EscapeDataString("FIND {nothing}"));
        var braces = await Assert.ThrowsAsync<SalesforceApiException>(() => Search(org, "FIND Acme"));
        var shortTerm = await Assert.ThrowsAsync<SalesforceApiException>(() => Search(org, "FIND {a*}"));
        var badField = await Assert.ThrowsAsync<SalesforceApiException>(() => Search(org, "FIND {Acme} RETURNING Account(Nope)"));

        Assert.Equal(HttpStatusCode.OK, status);
        var record = body.GetProperty("searchRecords")[0];
        Assert.Equal("Account", record.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(["attributes", "Id"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"searchRecords":[]}""", empty.GetRawText());
        Assert.Equal(("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."), (braces.ErrorCode, braces.Errors[0].Message));
        Assert.Equal("MALFORMED_SEARCH", shortTerm.ErrorCode);
        Assert.Equal("INVALID_FIELD", badField.ErrorCode);
    }
}
