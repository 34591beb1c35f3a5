using System.Text.Json;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>Child-to-parent paths, polymorphic What/Who with TYPEOF, parent-to-child subqueries, semi- and anti-joins.</summary>
public sealed class RelationshipTests
{
    private sealed record Ids(string Acme, string Beta, string Empty, string Ann, string Bob, string Orphan, string Deal, string Lead);

    private static Ids Seed(EmulatedOrg org)
    {
        var acme = org.Seed("Account", ("Name", "Acme"), ("Industry", "Energy"));
        var beta = org.Seed("Account", ("Name", "Beta"), ("ParentId", acme));
        var empty = org.Seed("Account", ("Name", "Empty"));
        var ann = org.Seed("Contact", ("LastName", "Ann"), ("AccountId", acme), ("Email", "ann@acme.test"));
        var bob = org.Seed("Contact", ("LastName", "Bob"), ("AccountId", acme));
        var orphan = org.Seed("Contact", ("LastName", "Orphan"));
        org.Seed("Contact", ("LastName", "Cid"), ("AccountId", beta));
        var deal = org.Seed("Opportunity", ("Name", "Deal"), ("AccountId", acme), ("StageName", "Prospecting"), ("CloseDate", new DateOnly(2026, 12, 1)), ("Amount", 100m));
        var lead = org.Seed("Lead", ("LastName", "Lee"), ("Company", "LeeCo"));
        org.Seed("Task", ("Subject", "Call Ann"), ("WhoId", ann), ("WhatId", acme));
        org.Seed("Task", ("Subject", "Pitch"), ("WhatId", deal), ("WhoId", lead));
        org.Seed("Task", ("Subject", "Nothing"));
        return new Ids(acme, beta, empty, ann, bob, orphan, deal, lead);
    }

    [Fact]
    public async Task Parent_paths_are_nested_records_and_an_empty_lookup_is_null()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var (_, body) = await org.SoqlAsync("SELECT LastName, Account.Name, Account.Owner.Name, Account.Industry FROM Contact ORDER BY LastName");
        var records = body.GetProperty("records");
        var ann = records[0];
        var account = ann.GetProperty("Account");

        Assert.Equal(["attributes", "LastName", "Account"], ann.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["attributes", "Name", "Owner", "Industry"], account.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Account", account.GetProperty("attributes").GetProperty("type").GetString());
        Assert.StartsWith("/services/data/v66.0/sobjects/Account/001", account.GetProperty("attributes").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("Org Admin", account.GetProperty("Owner").GetProperty("Name").GetString());
        Assert.Equal("User", account.GetProperty("Owner").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, records[3].GetProperty("Account").ValueKind);
        Assert.Equal("Orphan", records[3].GetProperty("LastName").GetString());
    }

    [Fact]
    public async Task Parent_paths_filter_and_sort_with_outer_join_semantics()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var energy = await org.QueryAsync("SELECT LastName FROM Contact WHERE Account.Industry = 'Energy' ORDER BY LastName");
        var noAccount = await org.QueryAsync("SELECT LastName FROM Contact WHERE Account.Name = null");
        var either = await org.QueryAsync("SELECT LastName FROM Contact WHERE Account.Name = 'Beta' OR Account.Name = null ORDER BY LastName");
        var sorted = await org.QueryAsync("SELECT LastName FROM Contact ORDER BY Account.Name DESC NULLS LAST, LastName");
        var grandparent = await org.QueryAsync("SELECT LastName, Account.Parent.Name FROM Contact WHERE Account.Parent.Name = 'Acme'");

        Assert.Equal(["Ann", "Bob"], energy.Select(r => r.Get<string>("LastName")));
        Assert.Equal(["Orphan"], noAccount.Select(r => r.Get<string>("LastName")));
        Assert.Equal(["Cid", "Orphan"], either.Select(r => r.Get<string>("LastName")));
        Assert.Equal(["Cid", "Ann", "Bob", "Orphan"], sorted.Select(r => r.Get<string>("LastName")));
        Assert.Equal("Acme", grandparent.Single().Get<string>("Account.Parent.Name"));
    }

    [Fact]
    public async Task Polymorphic_What_and_Who_give_the_Name_fields_and_Type_and_TYPEOF_picks_fields_by_type()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var tasks = await org.QueryAsync("SELECT Subject, What.Name, What.Type, Who.Name FROM Task ORDER BY Subject");
        var onAccounts = await org.QueryAsync("SELECT Subject FROM Task WHERE What.Type IN ('Account')");
        var (_, body) = await org.SoqlAsync(
            "SELECT Subject, TYPEOF What WHEN Account THEN Industry, Name WHEN Opportunity THEN Amount ELSE Name END FROM Task ORDER BY Subject");
        var typed = body.GetProperty("records");

        Assert.Equal(("Acme", "Account", "Ann"), (tasks[0].Get<string>("What.Name"), tasks[0].Get<string>("What.Type"), tasks[0].Get<string>("Who.Name")));
        Assert.Null(tasks[1].Get<SObject>("What"));
        Assert.Equal(("Deal", "Opportunity", "Lee"), (tasks[2].Get<string>("What.Name"), tasks[2].Get<string>("What.Type"), tasks[2].Get<string>("Who.Name")));
        Assert.Equal(["Call Ann"], onAccounts.Select(r => r.Get<string>("Subject")));
        Assert.Equal(["attributes", "Industry", "Name"], typed[0].GetProperty("What").EnumerateObject().Select(p => p.Name));
        Assert.Equal("Energy", typed[0].GetProperty("What").GetProperty("Industry").GetString());
        Assert.Equal(JsonValueKind.Null, typed[1].GetProperty("What").ValueKind);
        Assert.Equal(["attributes", "Amount"], typed[2].GetProperty("What").EnumerateObject().Select(p => p.Name));
        Assert.Equal("100.0", typed[2].GetProperty("What").GetProperty("Amount").GetRawText());
    }

    [Fact]
    public async Task Child_subqueries_are_nested_query_results_filtered_ordered_and_limited_or_null()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var accounts = await org.QueryAsync(
            "SELECT Name, (SELECT LastName, Account.Name FROM Contacts WHERE LastName != 'Zed' ORDER BY LastName DESC LIMIT 1), " +
            "(SELECT Name FROM Opportunities), (SELECT Subject FROM Tasks) FROM Account ORDER BY Name");
        var (_, body) = await org.SoqlAsync("SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Acme'");
        var contacts = body.GetProperty("records")[0].GetProperty("Contacts");

        var acme = accounts[0];
        var acmeContacts = acme.Get<QueryResult<SObject>>("Contacts")!;
        Assert.Equal(1, acmeContacts.TotalSize);
        Assert.Equal("Bob", acmeContacts.Records[0].Get<string>("LastName"));
        Assert.Equal("Acme", acmeContacts.Records[0].Get<string>("Account.Name"));
        Assert.Equal("Deal", acme.Get<QueryResult<SObject>>("Opportunities")!.Records.Single().Get<string>("Name"));
        Assert.Equal("Call Ann", acme.Get<QueryResult<SObject>>("Tasks")!.Records.Single().Get<string>("Subject"));
        Assert.Null(accounts[2].Get<QueryResult<SObject>>("Contacts"));
        Assert.Equal(["totalSize", "done", "records"], contacts.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, contacts.GetProperty("totalSize").GetInt32());
        Assert.True(contacts.GetProperty("done").GetBoolean());
        Assert.Equal("Contact", contacts.GetProperty("records")[0].GetProperty("attributes").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Nested_child_subqueries_reach_grandchildren()
    {
        await using var org = QueryTestOrg.Create();
        var ids = Seed(org);
        org.Seed("OpportunityContactRole", ("OpportunityId", ids.Deal), ("ContactId", ids.Ann), ("Role", "Decision Maker"));

        var accounts = await org.QueryAsync("SELECT Name, (SELECT Name, (SELECT Role, Contact.LastName FROM OpportunityContactRoles) FROM Opportunities) FROM Account WHERE Id = '" + ids.Acme + "'");

        var role = accounts.Single().Get<QueryResult<SObject>>("Opportunities")!.Records.Single().Get<QueryResult<SObject>>("OpportunityContactRoles")!.Records.Single();
        Assert.Equal(("Decision Maker", "Ann"), (role.Get<string>("Role"), role.Get<string>("Contact.LastName")));
    }

    [Fact]
    public async Task Semi_joins_and_anti_joins_filter_by_the_ids_a_subquery_selects()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var withContacts = await org.NamesAsync("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)");
        var withoutDeals = await org.NamesAsync("SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)");
        var both = await org.NamesAsync(
            "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Cid') AND Id NOT IN (SELECT AccountId FROM Opportunity)");
        var contacts = await org.QueryAsync("SELECT LastName FROM Contact WHERE AccountId IN (SELECT AccountId FROM Opportunity WHERE Amount > 50) ORDER BY LastName");

        Assert.Equal(["Acme", "Beta"], withContacts);
        Assert.Equal(["Beta", "Empty"], withoutDeals);
        Assert.Equal(["Beta"], both);
        Assert.Equal(["Ann", "Bob"], contacts.Select(c => c.Get<string>("LastName")));
    }

    [Fact]
    public async Task FROM_aliases_and_aliased_relationships_resolve()
    {
        await using var org = QueryTestOrg.Create();
        Seed(org);

        var count = await org.SoqlAsync("SELECT count() FROM Contact c, c.Account a WHERE a.Name = 'Acme'");
        var named = await org.QueryAsync("SELECT c.LastName, a.Name FROM Contact c, c.Account a WHERE a.Name = 'Beta'");

        Assert.Equal(2, count.Body.GetProperty("totalSize").GetInt32());
        Assert.Equal(("Cid", "Beta"), (named.Single().Get<string>("LastName"), named.Single().Get<string>("Account.Name")));
    }
}
