using System.Text.Json.Serialization;

namespace Atom.Salesforce.Soql.Tests;

public sealed class SoqlBuilderTests
{
    [Fact]
    public void Without_Select_every_simple_property_is_selected_under_its_json_name()
    {
        Assert.Equal(
            "SELECT Id, Name, Industry, AnnualRevenue, Region__c, CreatedDate, Stage FROM Account",
            SoqlBuilder.From<Account>().ToString());
    }

    [Fact]
    public void Builds_select_where_order_limit_offset()
    {
        var industry = "Media";
        var query = SoqlBuilder.From<Account>()
            .Select(a => new { a.Id, a.Name, OwnerEmail = a.Owner!.Email })
            .Where(a => a.Industry == industry && a.AnnualRevenue > 1_000_000m)
            .OrderBy(a => a.Name)
            .OrderByDescending(a => a.CreatedDate, SoqlNullsOrder.Last)
            .Limit(50)
            .Offset(100);

        Assert.Equal(
            "SELECT Id, Name, Owner.Email FROM Account WHERE Industry = 'Media' AND AnnualRevenue > 1000000 "
            + "ORDER BY Name ASC, CreatedDate DESC NULLS LAST LIMIT 50 OFFSET 100",
            query.ToString());
        Assert.Equal(query.ToQuery(), SoqlQuery.Parse(query.ToString()));
    }

    [Fact]
    public void Values_are_escaped_literals_never_text()
    {
        var name = "O'Brien\\ OR Name != null";
        var query = SoqlBuilder.From<Account>("Account").Select(a => a.Id).Where(a => a.Name == name);

        Assert.Equal(@"SELECT Id FROM Account WHERE Name = 'O\'Brien\\ OR Name != null'", query.ToString());
        var comparison = Assert.IsType<SoqlComparison>(SoqlQuery.Parse(query.ToString()).Where);
        Assert.Equal(name, Assert.IsType<SoqlString>(comparison.Right).Value);
    }

    [Fact]
    public void An_array_Contains_is_IN_although_CSharp_14_binds_it_to_a_span()
    {
        string[] ids = ["001A", "001B"];

        var query = SoqlBuilder.From<Account>().Select(a => a.Id).Where(a => !ids.Contains(a.Id!));

        Assert.Equal("SELECT Id FROM Account WHERE Id NOT IN ('001A', '001B')", query.ToString());
    }

    [Fact]
    public void Translates_or_not_like_in_null_booleans_enums_and_dates()
    {
        var ids = new List<string> { "001A", "001B" };
        var since = new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero);
        var query = SoqlBuilder.From<Account>().Select(a => a.Id).Where(a =>
            (a.Name!.StartsWith("Ac_") || a.Name.Contains("100%") || a.Name.EndsWith("Inc"))
            && !ids.Contains(a.Id!)
            && a.Industry != null
            && !a.IsDeleted
            && a.Stage == Stage.ClosedWon
            && since <= a.CreatedDate
            && a.Region != "EU");

        Assert.Equal(
            "SELECT Id FROM Account WHERE (Name LIKE 'Ac\\_%' OR Name LIKE '%100\\%%' OR Name LIKE '%Inc') AND Id NOT IN ('001A', '001B') "
            + "AND Industry != NULL AND IsDeleted = FALSE AND Stage = 'ClosedWon' AND CreatedDate >= 2025-01-31T10:00:00Z AND Region__c != 'EU'",
            query.ToString());
        Assert.Equal(query.ToQuery(), SoqlQuery.Parse(query.ToString()));
    }

    [Fact]
    public void Successive_Where_calls_are_joined_with_AND_and_ORs_keep_their_parentheses()
    {
        var query = SoqlBuilder.From<Account>().Select(a => a.Id)
            .Where(a => a.Name == "a" || a.Name == "b")
            .Where(a => a.Industry == "c");

        Assert.Equal("SELECT Id FROM Account WHERE (Name = 'a' OR Name = 'b') AND Industry = 'c'", query.ToString());
    }

    [Fact]
    public void The_builder_is_immutable()
    {
        var all = SoqlBuilder.From<Account>().Select(a => a.Id);
        var limited = all.Limit(5);

        Assert.Null(all.ToQuery().Limit);
        Assert.Equal(5, limited.ToQuery().Limit);
    }

    [Fact]
    public void Refuses_what_SOQL_cannot_express_before_any_request()
    {
        var builder = SoqlBuilder.From<Account>();

        Assert.Throws<NotSupportedException>(() => builder.Where(a => a.Name == a.Industry));
        Assert.Throws<NotSupportedException>(() => builder.Where(a => a.Name!.Length > 3));
        Assert.Throws<NotSupportedException>(() => builder.Where(a => new List<string>().Contains(a.Name!)));
        Assert.Throws<NotSupportedException>(() => builder.Where(a => a.CreatedDate > new DateTime(2025, 1, 1)));
        var nan = double.NaN;
        Assert.Throws<NotSupportedException>(() => builder.Where(a => a.Score > nan));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Offset(2001));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Limit(-1));
    }

    private enum Stage
    {
        Prospecting,
        ClosedWon,
    }

    private sealed class Account
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Industry { get; set; }

        public decimal? AnnualRevenue { get; set; }

        [JsonPropertyName("Region__c")]
        public string? Region { get; set; }

        public DateTimeOffset? CreatedDate { get; set; }

        public Stage Stage { get; set; }

        [JsonIgnore]
        public bool IsDeleted { get; set; }

        [JsonIgnore]
        public double? Score { get; set; }

        public User? Owner { get; set; }
    }

    private sealed class User
    {
        public string? Email { get; set; }
    }
}
