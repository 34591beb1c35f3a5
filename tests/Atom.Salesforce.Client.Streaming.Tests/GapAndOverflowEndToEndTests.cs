using System.Net.Http.Json;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming.Tests.Infrastructure;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// Gap and overflow events, sent by the emulator when Salesforce would (Change Data Capture Developer Guide, "Gap Events":
/// an event over the 1 MB message limit; "Overflow Events": the changes of a transaction beyond the threshold), reach the
/// SDK's subscriber as such: typed change events whose header says GAP_* or GAP_OVERFLOW, never dropped and never passed
/// off as an ordinary change.
/// </summary>
public sealed class GapAndOverflowEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_too_big_change_arrives_as_a_gap_event_and_a_transactions_changes_beyond_the_threshold_as_an_overflow_event()
    {
        var options = new SalesforceEmulatorOptions { ChangeEventOverflowThreshold = 2 };
        options.CustomObjects.Add(new SObjectDefinition("Dossier__c", [.. Enumerable.Range(1, 10).Select(i => new FieldDefinition($"Body{i}__c", FieldType.TextArea) { Length = 131_072 })]));
        await using var rig = await EmulatedPubSub.StartAsync(options, Ct);
        var server = rig.Server;
        var sf = rig.Salesforce;
        var pubsub = rig.PubSub;

        // A record whose change event would be over 1 MB; then three accounts in one transaction, one beyond the threshold.
        var dossier = new SObject("Dossier__c");
        for (var i = 1; i <= 10; i++)
        {
            dossier[$"Body{i}__c"] = new string('x', 110_000);
        }

        var big = await sf.SObjects.CreateAsync("Dossier__c", dossier, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", options.AccessToken);
        using var saved = await http.PostAsJsonAsync("/services/data/v66.0/composite/sobjects", new
        {
            allOrNone = true,
            records = new[] { "A1", "A2", "A3" }.Select(name => new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = name }),
        }, Ct);
        saved.EnsureSuccessStatusCode();

        var events = new List<ChangeEvent<SObject>>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await foreach (var e in pubsub.SubscribeAsync("/data/ChangeEvents", ReplayStart.Earliest, cancellationToken: timeout.Token))
        {
            events.Add(e.ToChangeEvent<SObject>());
            if (events.Count == 4)
            {
                break;
            }
        }

        var gap = events[0].Header;
        Assert.Equal((ChangeType.GapCreate, "GAP_CREATE", "Dossier__c"), (gap.ChangeType, gap.ChangeTypeName, gap.EntityName));
        Assert.True(gap.IsGap);
        Assert.False(gap.IsOverflow);
        Assert.Equal([big], gap.RecordIds);
        Assert.Null(events[0].Record["Body1__c"]);

        Assert.Equal([ChangeType.Create, ChangeType.Create], events.Skip(1).Take(2).Select(e => e.Header.ChangeType));
        Assert.Equal(["A1", "A2"], events.Skip(1).Take(2).Select(e => (string?)e.Record["Name"]));

        var overflow = events[3].Header;
        Assert.Equal((ChangeType.GapOverflow, "GAP_OVERFLOW", "Account"), (overflow.ChangeType, overflow.ChangeTypeName, overflow.EntityName));
        Assert.True(overflow.IsOverflow);
        Assert.False(overflow.IsGap);
        Assert.Empty(overflow.RecordIds);
        Assert.Equal(events[1].Header.TransactionKey, overflow.TransactionKey);
    }
}
