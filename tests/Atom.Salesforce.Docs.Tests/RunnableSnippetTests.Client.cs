using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Docs.Tests.Snippets;

namespace Atom.Salesforce.Docs.Tests;

/// <summary>The client reference's blocks (docs/client.md), each checked against the org.</summary>
public sealed partial class RunnableSnippetTests
{
    private static async Task VerifyClientRecordsAsync(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);

        // The created Acme was deleted; the upserted one is left, with its external id.
        var left = await Single(org, "SELECT Id, Ext_Id__c FROM Account WHERE Name = 'Acme'");
        Assert.Equal("ACME/42", left.Get<string>("Ext_Id__c"));
        var all = new List<SObject>();
        await foreach (var row in org.Client.Query.QueryAsync<SObject>("SELECT Id FROM Account", new QueryOptions { IncludeDeleted = true }, cancellationToken: Ct))
        {
            all.Add(row);
        }

        Assert.Equal(2, all.Count);
        Assert.Equal($"{all.Count} of {all.Count}; next: ", lines[0]); // queryAll sees the deleted one too, in one page
        Assert.Matches(@"^\d+ calls left; last response said ", lines[1]);
    }

    private static Task VerifyClientSoql(SnippetOrg org, string output, object? seeded)
    {
        var lines = Lines(output);

        // Salesforce's escapes: \' in a string literal; \_ and \% for LIKE wildcards taken literally.
        Assert.Equal(@"SELECT Id FROM Account WHERE Name IN ('O\'Brien', 'Acme') AND CreatedDate > 2025-01-31T10:00:00Z", lines[0]);
        Assert.Equal(@"SELECT Id FROM Contact WHERE LastName LIKE 'O\_B\%%'", lines[1]);
        Assert.Matches("[Ll]ine 1", lines[2]);
        // The builder and the parsed tree ran against the org: the one Media account the block created.
        Assert.Equal("O'Brien Ltd (Media)", lines[3]);
        Assert.Equal("O'Brien Ltd", lines[4]);
        Assert.Equal(5, lines.Count);
        return Task.CompletedTask;
    }

    private static async Task VerifyClientCompositeAsync(SnippetOrg org, string output, object? seeded)
    {
        var account = await Single(org, "SELECT Id FROM Account WHERE Name = 'Acme'");
        var contact = await Single(org, "SELECT AccountId FROM Contact WHERE LastName = 'Lovelace'");

        Assert.Equal(account.Id, contact.Get<string>("AccountId"));
        Assert.Equal([$"account {account.Id}, read back from the contact: {account.Id}"], Lines(output));
    }

    private static async Task VerifyClientCollectionsAsync(SnippetOrg org, string output, object? seeded)
    {
        Assert.Equal(["500 accounts, 500 contacts, 500 read back"], Lines(output));
        Assert.Equal(500, (await Single(org, "SELECT COUNT(Id) n FROM Account WHERE Ext_Id__c LIKE 'ROW-%'")).Get<int>("n"));
        Assert.Equal(500, (await Single(org, "SELECT COUNT(Id) n FROM Contact WHERE Account.Ext_Id__c LIKE 'ROW-%'")).Get<int>("n"));
    }

    private static async Task VerifyClientSaveAsync(SnippetOrg org, string output, object? seeded)
    {
        Assert.Equal(["5000 of 5000 saved"], Lines(output));
        Assert.Equal(5000, (await Single(org, "SELECT COUNT(Id) n FROM Account WHERE Ext_Id__c LIKE 'ROW-%'")).Get<int>("n"));
    }
}
