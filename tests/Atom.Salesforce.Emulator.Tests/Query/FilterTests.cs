using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>WHERE: every operator, null semantics, LIKE, IN, INCLUDES/EXCLUDES, arithmetic, functions, literals; ORDER BY, LIMIT, OFFSET.</summary>
public sealed class FilterTests
{
    private static async Task<EmulatedOrg> AccountsAsync()
    {
        var org = QueryTestOrg.Create();
        org.Seed("Account", ("Name", "Acme"), ("Industry", "Energy"), ("AnnualRevenue", 500m), ("NumberOfEmployees", 10m), ("Tags__c", "Red;Green"), ("Active__c", true), ("Score__c", 1.5m));
        org.Seed("Account", ("Name", "beta corp"), ("Industry", "Media"), ("AnnualRevenue", 1500m), ("NumberOfEmployees", 200m), ("Tags__c", "Blue"), ("Score__c", 3m));
        org.Seed("Account", ("Name", "Gamma_50%"), ("AnnualRevenue", 2500m), ("Tags__c", "Green;Blue"), ("Active__c", true));
        org.Seed("Account", ("Name", "Delta"), ("Industry", "Energy"));
        await Task.CompletedTask;
        return org;
    }

    [Theory]
    [InlineData("Name = 'ACME'", new[] { "Acme" })]
    [InlineData("Name != 'acme'", new[] { "beta corp", "Gamma_50%", "Delta" })]
    [InlineData("Name <> 'acme'", new[] { "beta corp", "Gamma_50%", "Delta" })]
    [InlineData("Industry != 'Energy'", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("Industry = null", new[] { "Gamma_50%" })]
    [InlineData("Industry != null", new[] { "Acme", "beta corp", "Delta" })]
    [InlineData("AnnualRevenue > 500", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("AnnualRevenue >= 500", new[] { "Acme", "beta corp", "Gamma_50%" })]
    [InlineData("AnnualRevenue < 1500", new[] { "Acme" })]
    [InlineData("AnnualRevenue <= 1500", new[] { "Acme", "beta corp" })]
    [InlineData("AnnualRevenue > USD1000", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("Name < 'B'", new[] { "Acme" })]
    [InlineData("Name > 'beta'", new[] { "beta corp", "Gamma_50%", "Delta" })]
    [InlineData("Name LIKE 'a%'", new[] { "Acme" })]
    [InlineData("Name LIKE '%CORP'", new[] { "beta corp" })]
    [InlineData("Name LIKE 'd_lta'", new[] { "Delta" })]
    [InlineData("Name LIKE '%\\_50\\%'", new[] { "Gamma_50%" })]
    [InlineData("Name LIKE '%a%' AND NOT Name LIKE '%e%'", new[] { "Gamma_50%" })]
    [InlineData("Industry IN ('energy', 'Media')", new[] { "Acme", "beta corp", "Delta" })]
    [InlineData("Industry NOT IN ('Energy')", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("Industry IN ('Media', null)", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("Tags__c INCLUDES ('Green')", new[] { "Acme", "Gamma_50%" })]
    [InlineData("Tags__c INCLUDES ('Red;Green', 'Blue')", new[] { "Acme", "beta corp", "Gamma_50%" })]
    [InlineData("Tags__c EXCLUDES ('Green')", new[] { "beta corp", "Delta" })]
    [InlineData("Tags__c = 'Green;Red'", new[] { "Acme" })]
    [InlineData("Active__c = true", new[] { "Acme", "Gamma_50%" })]
    [InlineData("Active__c = false", new[] { "beta corp", "Delta" })]
    [InlineData("Active__c = null", new[] { "beta corp", "Delta" })]
    [InlineData("Score__c = 1.5", new[] { "Acme" })]
    [InlineData("NumberOfEmployees + AnnualRevenue > 1000", new[] { "beta corp" })]
    [InlineData("AnnualRevenue - NumberOfEmployees < 1000", new[] { "Acme" })]
    [InlineData("(Industry = 'Media' OR AnnualRevenue > 2000) AND Name != 'x'", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("NOT (Industry = 'Energy')", new[] { "beta corp", "Gamma_50%" })]
    [InlineData("toLabel(Industry) = 'Media'", new[] { "beta corp" })]
    [InlineData("CALENDAR_YEAR(CreatedDate) = 2026 AND Name = 'Delta'", new[] { "Delta" })]
    public async Task WHERE_filters_with_SOQL_semantics(string where, string[] expected)
    {
        await using var org = await AccountsAsync();

        var names = await org.NamesAsync($"SELECT Name FROM Account WHERE {where}");

        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task ORDER_BY_sorts_case_insensitively_with_nulls_first_by_default_and_keys_in_turn()
    {
        await using var org = await AccountsAsync();

        Assert.Equal(["Acme", "beta corp", "Delta", "Gamma_50%"], await org.NamesAsync("SELECT Name FROM Account ORDER BY Name"));
        Assert.Equal(["Gamma_50%", "Acme", "Delta", "beta corp"], await org.NamesAsync("SELECT Name FROM Account ORDER BY Industry, Name"));
        Assert.Equal(["Gamma_50%", "beta corp", "Acme", "Delta"], await org.NamesAsync("SELECT Name FROM Account ORDER BY Industry DESC, Name"));
        Assert.Equal(["Acme", "Delta", "beta corp", "Gamma_50%"], await org.NamesAsync("SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST, Name ASC"));
        Assert.Equal(["Delta", "Acme", "beta corp", "Gamma_50%"], await org.NamesAsync("SELECT Name FROM Account ORDER BY AnnualRevenue NULLS FIRST"));
        Assert.Equal(["Acme", "beta corp", "Gamma_50%", "Delta"], await org.NamesAsync("SELECT Name FROM Account"));
    }

    [Fact]
    public async Task LIMIT_and_OFFSET_cut_the_sorted_rows()
    {
        await using var org = await AccountsAsync();

        Assert.Equal(["beta corp", "Delta"], await org.NamesAsync("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1"));
        Assert.Empty(await org.NamesAsync("SELECT Name FROM Account LIMIT 0"));
        Assert.Empty(await org.NamesAsync("SELECT Name FROM Account OFFSET 10"));
    }

    [Fact]
    public async Task Records_come_with_attributes_then_the_selected_fields_in_order_with_nulls_and_Salesforce_formats()
    {
        await using var org = await AccountsAsync();

        var (_, body) = await org.SoqlAsync("SELECT Industry, Name, Id, AnnualRevenue, NumberOfEmployees, CreatedDate, Active__c FROM Account WHERE Name = 'Gamma_50%'");

        var record = body.GetProperty("records")[0];
        Assert.Equal(["attributes", "Industry", "Name", "Id", "AnnualRevenue", "NumberOfEmployees", "CreatedDate", "Active__c"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Account", record.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal($"/services/data/v66.0/sobjects/Account/{record.GetProperty("Id").GetString()}", record.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("Industry").ValueKind);
        Assert.Equal("2500.0", record.GetProperty("AnnualRevenue").GetRawText());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", record.GetProperty("CreatedDate").GetString());
        Assert.True(record.GetProperty("Active__c").GetBoolean());
        Assert.Equal(1, body.GetProperty("totalSize").GetInt32());
        Assert.True(body.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task FIELDS_expands_to_the_objects_fields_and_toLabel_and_FORMAT_name_the_field()
    {
        await using var org = await AccountsAsync();

        var all = (await org.QueryAsync("SELECT FIELDS(ALL) FROM Account LIMIT 200"))[0];
        var custom = (await org.QueryAsync("SELECT FIELDS(CUSTOM) FROM Account LIMIT 1"))[0];
        var standard = (await org.QueryAsync("SELECT FIELDS(STANDARD) FROM Account"))[0];
        var labelled = (await org.QueryAsync("SELECT toLabel(Industry), FORMAT(AnnualRevenue) rev FROM Account WHERE Name = 'beta corp'"))[0];

        Assert.Contains("Tags__c", all.FieldNames);
        Assert.Contains("SystemModstamp", all.FieldNames);
        Assert.Equal(["Tags__c", "Score__c", "Active__c"], custom.FieldNames);
        Assert.DoesNotContain("Tags__c", standard.FieldNames);
        Assert.Contains("Name", standard.FieldNames);
        Assert.Equal("Media", labelled.Get<string>("Industry"));
        Assert.Equal("$1,500", labelled.Get<string>("rev"));
    }

    [Fact]
    public async Task USING_SCOPE_mine_keeps_the_current_users_records_and_everything_keeps_all()
    {
        await using var org = await AccountsAsync();
        var other = org.Seed("User", ("Username", "other@x.test"), ("LastName", "Other"), ("Email", "other@x.test"), ("Alias", "oth"));
        org.Seed("Account", ("Name", "Theirs"), ("OwnerId", other));

        var mine = await org.NamesAsync("SELECT Name FROM Account USING SCOPE mine");
        var everything = await org.NamesAsync("SELECT Name FROM Account USING SCOPE everything FOR VIEW");

        Assert.DoesNotContain("Theirs", mine);
        Assert.Equal(4, mine.Count);
        Assert.Equal(5, everything.Count);
    }

    [Fact]
    public async Task Ids_match_in_15_and_18_characters_and_a_malformed_id_is_refused()
    {
        await using var org = await AccountsAsync();
        var id = org.Data().Records(org.Data().Schema.Find("Account")!)[0].Id;

        Assert.Equal(["Acme"], await org.NamesAsync($"SELECT Name FROM Account WHERE Id = '{id[..15]}'"));
        Assert.Equal(["Acme"], await org.NamesAsync($"SELECT Name FROM Account WHERE Id IN ('{id}')"));
        var (_, code, message) = await org.ErrorAsync("SELECT Name FROM Account WHERE Id = 'nope'");
        Assert.Equal(("INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: nope"), (code, message));
    }
}
