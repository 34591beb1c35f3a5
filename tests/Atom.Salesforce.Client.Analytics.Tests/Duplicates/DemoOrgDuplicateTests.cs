using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Duplicates;
using Atom.Salesforce.Client.Analytics.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Analytics.Tests.Duplicates;

/// <summary>
/// Duplicate detection on the emulator's demo org. The demo plants no duplicates, but every converted lead became a
/// contact with its name, e-mail and phone: matched against the contacts, each converted lead must find the contact it
/// became, and the open leads must not be flagged against contacts wholesale. Measured at scale 0.1: all 44 converted
/// leads found their contact; no pair among 50 accounts, 200 contacts and 256 open leads; one open lead matched an account.
/// </summary>
public sealed class DemoOrgDuplicateTests
{
    [Fact]
    public async Task Converted_leads_match_the_contacts_they_became()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await DemoOrg.Shared;
        var detector = org.Services.GetRequiredService<DuplicateDetector>();

        var scan = await detector.FindAsync(org.Client, cancellationToken: ct);
        var data = await SalesDataLoader.LoadAsync(org.Client, SalesDataParts.Leads | SalesDataParts.Contacts, ct);
        var converted = data.Leads.Where(l => l.IsConverted && l.ConvertedContactId is not null).ToList();
        var report = detector.FindLeadsMatchingContacts(converted, data.Contacts, new DuplicateOptions { IncludeConvertedLeads = true });

        Assert.True(converted.Count > 20);
        var found = report.Pairs.Select(p => (p.FirstId, p.SecondId)).ToHashSet();
        var recall = converted.Count(l => found.Contains((l.Id, l.ConvertedContactId!))) / (double)converted.Count;
        Assert.True(recall >= 0.95, $"recall {recall:F3}");
        // Every check ran over the whole org, comparing only within blocks.
        Assert.Equal(data.Contacts.Count, scan.Contacts.RecordCount);
        Assert.Equal(data.Leads.Count(l => !l.IsConverted), scan.Leads.RecordCount);
        Assert.True(scan.Contacts.Comparisons < (long)data.Contacts.Count * data.Contacts.Count / 20);
        Assert.True(scan.LeadsMatchingContacts.Pairs.Count < data.Leads.Count / 10, $"{scan.LeadsMatchingContacts.Pairs.Count} open leads flagged");
    }
}
