using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>COUNT(), aggregate functions, GROUP BY with ROLLUP and CUBE, GROUPING(), HAVING, and the AggregateResult shape.</summary>
public sealed class AggregateTests
{
    private static EmulatedOrg Opportunities()
    {
        var org = QueryTestOrg.Create();
        var acme = org.Seed("Account", ("Name", "Acme"));
        var beta = org.Seed("Account", ("Name", "Beta"));
        (string Name, string Account, string Stage, string? Source, decimal? Amount, DateOnly Close)[] deals =
        [
            ("a", acme, "Prospecting", "Web", 100m, new DateOnly(2025, 3, 1)),
            ("b", acme, "Closed Won", "Web", 300m, new DateOnly(2026, 1, 15)),
            ("c", acme, "Closed Won", "Partner Referral", 600m, new DateOnly(2026, 2, 1)),
            ("d", beta, "Prospecting", null, null, new DateOnly(2026, 5, 5)),
            ("e", beta, "Closed Won", "Web", 1000m, new DateOnly(2026, 6, 1)),
        ];
        foreach (var d in deals)
        {
            org.Seed("Opportunity", ("Name", d.Name), ("AccountId", d.Account), ("StageName", d.Stage), ("LeadSource", d.Source), ("Amount", d.Amount), ("CloseDate", d.Close));
        }

        return org;
    }

    [Fact]
    public async Task COUNT_puts_the_count_in_totalSize_with_no_records()
    {
        await using var org = Opportunities();

        var (_, all) = await org.SoqlAsync("SELECT COUNT() FROM Opportunity");
        var (_, won) = await org.SoqlAsync("SELECT count() FROM Opportunity WHERE StageName = 'Closed Won' LIMIT 2");

        Assert.Equal("""{"totalSize":5,"done":true,"records":[]}""", all.GetRawText());
        Assert.Equal(2, won.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Aggregates_without_GROUP_BY_give_one_AggregateResult_with_expr_names_among_unaliased_aggregates()
    {
        await using var org = Opportunities();

        var (_, body) = await org.SoqlAsync("SELECT SUM(Amount), MAX(Amount) top, COUNT(Id), COUNT(Amount), AVG(Amount), MIN(CloseDate), COUNT_DISTINCT(LeadSource) FROM Opportunity");

        var row = body.GetProperty("records").EnumerateArray().Single();
        Assert.Equal(
            """{"attributes":{"type":"AggregateResult"},"expr0":2000.0,"top":1000.0,"expr1":5,"expr2":4,"expr3":500.0,"expr4":"2025-03-01","expr5":2}""",
            row.GetRawText());
        Assert.Equal(1, body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task GROUP_BY_groups_with_HAVING_and_ORDER_BY_on_aggregates_and_a_parent_field_keeps_its_last_segment()
    {
        await using var org = Opportunities();

        var (_, byStage) = await org.SoqlAsync("SELECT StageName, COUNT(Id) n, SUM(Amount) FROM Opportunity GROUP BY StageName ORDER BY COUNT(Id) DESC");
        var (_, byAccount) = await org.SoqlAsync("SELECT Account.Name, SUM(Amount) total FROM Opportunity GROUP BY Account.Name HAVING SUM(Amount) > 500 AND COUNT(Id) > 2");
        var (_, bySource) = await org.SoqlAsync("SELECT LeadSource FROM Opportunity GROUP BY LeadSource ORDER BY LeadSource NULLS LAST");
        var (_, byYear) = await org.SoqlAsync("SELECT CALENDAR_YEAR(CloseDate), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate) ORDER BY CALENDAR_YEAR(CloseDate)");

        Assert.Equal(
            """[{"attributes":{"type":"AggregateResult"},"StageName":"Closed Won","n":3,"expr0":1900.0},{"attributes":{"type":"AggregateResult"},"StageName":"Prospecting","n":2,"expr0":100.0}]""",
            byStage.GetProperty("records").GetRawText());
        Assert.Equal("""[{"attributes":{"type":"AggregateResult"},"Name":"Acme","total":1000.0}]""", byAccount.GetProperty("records").GetRawText());
        // Picklists sort in their defined order: Web comes before Partner Referral.
        Assert.Equal(["Web", "Partner Referral", null], bySource.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("LeadSource").GetString()));
        Assert.Equal("""[{"attributes":{"type":"AggregateResult"},"expr0":2025,"expr1":1},{"attributes":{"type":"AggregateResult"},"expr0":2026,"expr1":4}]""", byYear.GetProperty("records").GetRawText());
    }

    [Fact]
    public async Task Aliased_group_fields_and_date_functions_with_sums_of_ExpectedRevenue_as_the_pipeline_summary_sends_them()
    {
        await using var org = Opportunities();

        // The shape of PipelineAnalytics.SummarizeAsync: a grouped field and two date functions of a date field, all aliased,
        // COUNT(Id) and SUM of a currency and of the calculated ExpectedRevenue (Amount × Probability ÷ 100, Prospecting's
        // default probability 10%), a boolean filter, ordered by the picklist.
        var (_, body) = await org.SoqlAsync(
            "SELECT StageName GroupKey, CALENDAR_YEAR(CloseDate) PeriodYear, CALENDAR_MONTH(CloseDate) PeriodNumber, COUNT(Id) Deals, "
            + "SUM(Amount) TotalAmount, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity WHERE IsClosed = false "
            + "GROUP BY StageName, CALENDAR_YEAR(CloseDate), CALENDAR_MONTH(CloseDate) ORDER BY StageName");
        var (_, all) = await org.SoqlAsync("SELECT StageName GroupKey, COUNT(Id) Deals, SUM(ExpectedRevenue) WeightedAmount FROM Opportunity GROUP BY StageName ORDER BY StageName");

        // a: Prospecting, 100, closes 2025-03; d: Prospecting, no amount (so no expected revenue: the sums are null), 2026-05.
        Assert.Equal(
            """[{"attributes":{"type":"AggregateResult"},"GroupKey":"Prospecting","PeriodYear":2025,"PeriodNumber":3,"Deals":1,"TotalAmount":100.0,"WeightedAmount":10.0},"""
            + """{"attributes":{"type":"AggregateResult"},"GroupKey":"Prospecting","PeriodYear":2026,"PeriodNumber":5,"Deals":1,"TotalAmount":null,"WeightedAmount":null}]""",
            body.GetProperty("records").GetRawText());

        // The picklist's order, not the alphabet's: Prospecting before Closed Won. Won deals weigh 100%: 300 + 600 + 1,000.
        Assert.Equal(
            """[{"attributes":{"type":"AggregateResult"},"GroupKey":"Prospecting","Deals":2,"WeightedAmount":10.0},"""
            + """{"attributes":{"type":"AggregateResult"},"GroupKey":"Closed Won","Deals":3,"WeightedAmount":1900.0}]""",
            all.GetProperty("records").GetRawText());
    }

    [Fact]
    public async Task ROLLUP_and_CUBE_add_subtotal_rows_that_GROUPING_marks()
    {
        await using var org = Opportunities();

        var (_, rollup) = await org.SoqlAsync("SELECT StageName, LeadSource, COUNT(Id) n, GROUPING(StageName) gs, GROUPING(LeadSource) gl FROM Opportunity GROUP BY ROLLUP(StageName, LeadSource)");
        var (_, cube) = await org.SoqlAsync("SELECT StageName, LeadSource, COUNT(Id) n FROM Opportunity GROUP BY CUBE(StageName, LeadSource)");

        var rows = rollup.GetProperty("records").EnumerateArray()
            .Select(r => $"{r.GetProperty("StageName").GetString()}|{r.GetProperty("LeadSource").GetString()}|{r.GetProperty("n").GetInt32()}|{r.GetProperty("gs").GetInt32()}{r.GetProperty("gl").GetInt32()}")
            .ToList();
        Assert.Equal(
            ["Prospecting||1|00", "Prospecting|Web|1|00", "Prospecting||2|01", "Closed Won|Web|2|00", "Closed Won|Partner Referral|1|00", "Closed Won||3|01", "||5|11"],
            rows);
        Assert.Equal(7 + 3, cube.GetProperty("totalSize").GetInt32());
        Assert.Equal(5, cube.GetProperty("records").EnumerateArray().Last().GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task The_SDK_reads_aggregate_results()
    {
        await using var org = Opportunities();

        var rows = await org.QueryAsync("SELECT LeadSource src, MAX(Amount) FROM Opportunity WHERE LeadSource != null GROUP BY LeadSource ORDER BY LeadSource");

        Assert.Equal(["Web", "Partner Referral"], rows.Select(r => r.Get<string>("src")));
        Assert.Equal([1000m, 600m], rows.Select(r => r.Get<decimal>("expr0")));
        Assert.All(rows, r => Assert.Equal("AggregateResult", r.Type));
    }

    [Theory]
    [InlineData("SELECT Name, COUNT(Id) FROM Opportunity GROUP BY StageName", "MALFORMED_QUERY", "Field must be grouped or aggregated: Name")]
    [InlineData("SELECT MAX(CreatedDate) FROM Account LIMIT 1", "MALFORMED_QUERY", "An aggregate query without GROUP BY cannot have a LIMIT")]
    [InlineData("SELECT SUM(Name) FROM Opportunity", "INVALID_FIELD", "field Name does not support aggregate operator SUM")]
    [InlineData("SELECT Amount FROM Opportunity GROUP BY Amount", "INVALID_FIELD", "field 'Amount' can not be grouped in a query call")]
    [InlineData("SELECT Name, (SELECT Id FROM Contacts) FROM Account GROUP BY Name", "MALFORMED_QUERY", "FIELDS(), TYPEOF and subqueries are not allowed in an aggregate query")]
    public async Task Aggregate_rules_are_enforced(string soql, string code, string message)
    {
        await using var org = Opportunities();

        var error = await org.ErrorAsync(soql);

        Assert.Equal((code, message), (error.Code, error.Message));
    }
}
