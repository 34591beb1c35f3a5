using System.Text;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Schema;
using Atom.Salesforce.PubSub.Protocol;
using Avro.Generic;

namespace Atom.Salesforce.Emulator.Tests.PubSub;

/// <summary>
/// Change Data Capture over the Pub/Sub API: each write route publishes the events Salesforce would (Change Data Capture
/// Developer Guide: "Change Event Message Structure", "ChangeEventHeader Fields", "Change Event Body Fields"; Pub/Sub API
/// guide: "Event Deserialization Considerations" for the bitmap fields).
/// </summary>
public sealed class ChangeEventTests
{
    private const string Data = "/services/data/v62.0";

    [Fact]
    public async Task REST_create_update_delete_and_SOAP_undelete_publish_CREATE_UPDATE_DELETE_UNDELETE_with_the_fields_Salesforce_sends()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);

        var id = await org.CreateAsync("Account", new { Name = "Acme", Industry = "Energy", BillingCity = "Paris" });
        await org.SendAsync(HttpMethod.Patch, $"{Data}/sobjects/Account/{id}", new { Industry = (string?)null, Phone = "555-0100", BillingCity = "Lyon" });
        await org.SendAsync(HttpMethod.Delete, $"{Data}/sobjects/Account/{id}");
        await Soap(org, $"<urn:undelete><urn:ids>{id}</urn:ids></urn:undelete>");
        var events = await subscription.TakeAsync(4);

        Assert.Equal(["CREATE", "UPDATE", "DELETE", "UNDELETE"], events.Select(e => e.ChangeType));
        Assert.All(events, e => Assert.Equal([id], e.RecordIds));
        Assert.All(events, e => Assert.Equal("Account", e.EntityName));
        Assert.Equal(events.Select(e => e.ReplayId).Order(), events.Select(e => e.ReplayId));

        var created = events[0];
        Assert.Equal("Acme", created["Name"]);
        Assert.Equal("Energy", created["Industry"]);
        Assert.Equal("Paris", ((GenericRecord)created["BillingAddress"]!)["City"]);
        Assert.NotNull(created["CreatedDate"]);
        Assert.Empty(created.ChangedFields);
        Assert.Equal("com/salesforce/api/rest/62.0", created.Header["changeOrigin"]);
        Assert.Equal(1, created.SequenceNumber);

        // An update carries the changed fields only (LastModifiedDate among them); emptied ones are in nulledFields.
        var updated = events[1];
        Assert.Equal(["BillingAddress.City", "Industry", "LastModifiedDate", "Phone"], updated.ChangedFields.Order());
        Assert.Equal(["Industry"], updated.NulledFields);
        Assert.Equal("555-0100", updated["Phone"]);
        Assert.Equal("Lyon", ((GenericRecord)updated["BillingAddress"]!)["City"]);
        Assert.Null(updated["Name"]);

        // A delete carries its header only.
        Assert.Null(events[2]["Name"]);
        Assert.Null(events[2]["CreatedDate"]);

        // An undelete carries the record's fields again.
        Assert.Equal("Acme", events[3]["Name"]);
        Assert.Equal("com/salesforce/api/soap/66.0", events[3].Header["changeOrigin"]);
        Assert.Equal(4, events.Select(e => e.TransactionKey).Distinct().Count());
    }

    [Fact]
    public async Task A_delete_that_cascades_publishes_one_event_per_object_in_one_transaction_with_every_record_id()
    {
        await using var org = await PubSubOrg.StartAsync();
        var account = await org.CreateAsync("Account", new { Name = "Acme" });
        var first = await org.CreateAsync("Contact", new { LastName = "One", AccountId = account });
        var second = await org.CreateAsync("Contact", new { LastName = "Two", AccountId = account });
        using var subscription = await org.SubscribeAsync("/data/ChangeEvents", preset: ReplayPreset.Custom, replayId: org.Emulator.PubSub.Bus.LatestReplayId);

        await org.SendAsync(HttpMethod.Delete, $"{Data}/sobjects/Account/{account}");
        var events = await subscription.TakeAsync(2);

        Assert.Equal([("Account", "DELETE"), ("Contact", "DELETE")], events.Select(e => (e.EntityName, e.ChangeType)));
        Assert.Equal([account], events[0].RecordIds);
        Assert.Equal([first, second], events[1].RecordIds.Order());
        Assert.Single(events.Select(e => e.TransactionKey).Distinct());
        Assert.Equal([1, 2], events.Select(e => e.SequenceNumber));
    }

    [Fact]
    public async Task A_contacts_name_is_the_compound_Name_record_and_its_bitmap_names_the_nested_fields()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/ContactChangeEvent", preset: ReplayPreset.Earliest);

        var id = await org.CreateAsync("Contact", new { FirstName = "Ada", LastName = "Lovelace" });
        await org.SendAsync(HttpMethod.Patch, $"{Data}/sobjects/Contact/{id}", new { FirstName = "Augusta" });
        var events = await subscription.TakeAsync(2);

        Assert.Equal("Lovelace", ((GenericRecord)events[0]["Name"]!)["LastName"]);
        Assert.Equal(["LastModifiedDate", "Name.FirstName"], events[1].ChangedFields.Order());
        Assert.Equal("Augusta", ((GenericRecord)events[1]["Name"]!)["FirstName"]);
    }

    [Fact]
    public async Task SObject_collections_publish_in_one_transaction_and_merge_identical_changes_into_one_event()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);

        var saved = await org.SendForJsonAsync(HttpMethod.Post, $"{Data}/composite/sobjects", new
        {
            allOrNone = false,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "A" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "B" },
            },
        });
        var ids = saved.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        await org.SendAsync(HttpMethod.Patch, $"{Data}/composite/sobjects", new
        {
            records = ids.Select(id => new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Id"] = id, ["Rating"] = "Hot" }),
        });
        await org.SendAsync(HttpMethod.Delete, $"{Data}/composite/sobjects?ids={string.Join(',', ids)}");
        var events = await subscription.TakeAsync(4);

        // Two creates with different names: two events of one transaction.
        Assert.Equal([("CREATE", ids[0]), ("CREATE", ids[1])], events.Take(2).Select(e => (e.ChangeType, e.RecordIds.Single())));
        Assert.Equal(events[0].TransactionKey, events[1].TransactionKey);
        Assert.Equal([1, 2], events.Take(2).Select(e => e.SequenceNumber));

        // The same change to both records: one event naming both.
        Assert.Equal("UPDATE", events[2].ChangeType);
        Assert.Equal(ids, events[2].RecordIds);
        Assert.Contains("Rating", events[2].ChangedFields);
        Assert.Equal("DELETE", events[3].ChangeType);
        Assert.Equal(ids, events[3].RecordIds);
    }

    [Fact]
    public async Task A_transaction_beyond_the_overflow_threshold_sends_its_first_changes_as_events_and_the_rest_as_one_overflow_event_per_object()
    {
        // Salesforce's threshold is 100,000 changes per transaction ("Overflow Events"); the option lowers it.
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { ChangeEventOverflowThreshold = 3 });
        using var subscription = await org.SubscribeAsync("/data/ChangeEvents", preset: ReplayPreset.Earliest);

        var saved = await org.SendForJsonAsync(HttpMethod.Post, $"{Data}/composite/sobjects", new
        {
            allOrNone = true,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "A1" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "A2" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "A3" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Contact" }, ["LastName"] = "C1" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Name"] = "A4" },
                new Dictionary<string, object> { ["attributes"] = new { type = "Contact" }, ["LastName"] = "C2" },
            },
        });
        var ids = saved.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        var events = await subscription.TakeAsync(5);

        // The first three changes (a create counts one) are change events.
        Assert.Equal([("CREATE", "Account", ids[0]), ("CREATE", "Account", ids[1]), ("CREATE", "Account", ids[2])], events.Take(3).Select(e => (e.ChangeType, e.EntityName, e.RecordIds.Single())));
        Assert.Equal("A1", events[0]["Name"]);

        // The rest: one overflow event per object, the entity only (no record ids, no fields), in the same transaction.
        Assert.Equal([("GAP_OVERFLOW", "Contact"), ("GAP_OVERFLOW", "Account")], events.Skip(3).Select(e => (e.ChangeType, e.EntityName)));
        Assert.All(events.Skip(3), e => Assert.Empty(e.RecordIds));
        Assert.All(events.Skip(3), e => Assert.Empty(e.ChangedFields));
        Assert.Null(events[3]["Name"]);
        Assert.Null(events[4]["Name"]);
        Assert.Single(events.Select(e => e.TransactionKey).Distinct());
        Assert.Equal([1, 2, 3, 4, 5], events.Select(e => e.SequenceNumber));
    }

    [Fact]
    public async Task Each_field_an_update_changes_counts_toward_the_overflow_threshold()
    {
        await using var org = await PubSubOrg.StartAsync(new SalesforceEmulatorOptions { ChangeEventOverflowThreshold = 4 });
        var first = await org.CreateAsync("Account", new { Name = "One" });
        var second = await org.CreateAsync("Account", new { Name = "Two" });
        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Custom, replayId: org.Emulator.PubSub.Bus.LatestReplayId);

        // One transaction setting the same fields on both records (below the threshold, one UPDATE would name both). Each
        // record's update changes Rating, Industry and LastModifiedDate: counted per field, the first record's changes fit
        // in four and the second's do not (counted per record, both would).
        await org.SendAsync(HttpMethod.Patch, $"{Data}/composite/sobjects", new
        {
            records = new[] { first, second }.Select(id => new Dictionary<string, object> { ["attributes"] = new { type = "Account" }, ["Id"] = id, ["Rating"] = "Hot", ["Industry"] = "Energy" }),
        });
        var events = await subscription.TakeAsync(2);

        Assert.Equal(("UPDATE", first), (events[0].ChangeType, events[0].RecordIds.Single()));
        Assert.InRange(events[0].ChangedFields.Length, 3, 4);
        Assert.Contains("Rating", events[0].ChangedFields);
        Assert.Equal(("GAP_OVERFLOW", "Account"), (events[1].ChangeType, events[1].EntityName));
        Assert.Empty(events[1].RecordIds);
    }

    [Fact]
    public async Task A_change_event_larger_than_1_MB_is_sent_as_a_gap_event_with_the_record_ids_and_no_fields()
    {
        // "Gap Events": the change event size exceeds the maximum 1 MB message size.
        var options = new SalesforceEmulatorOptions();
        options.CustomObjects.Add(new SObjectDefinition("Dossier__c", [.. Enumerable.Range(1, 10).Select(i => new FieldDefinition($"Body{i}__c", FieldType.TextArea) { Length = 131_072 })]));
        await using var org = await PubSubOrg.StartAsync(options);
        using var subscription = await org.SubscribeAsync("/data/Dossier__ChangeEvent", preset: ReplayPreset.Earliest);

        var big = await org.CreateAsync("Dossier__c", Enumerable.Range(1, 10).ToDictionary(i => $"Body{i}__c", _ => new string('x', 110_000)));
        var small = await org.CreateAsync("Dossier__c", new Dictionary<string, string> { ["Body1__c"] = "short" });
        var events = await subscription.TakeAsync(2);

        Assert.Equal(("GAP_CREATE", big), (events[0].ChangeType, events[0].RecordIds.Single()));
        Assert.Equal("Dossier__c", events[0].EntityName);
        Assert.Null(events[0]["Body1__c"]);
        Assert.Equal(("CREATE", small), (events[1].ChangeType, events[1].RecordIds.Single()));
        Assert.Equal("short", events[1]["Body1__c"]);
    }

    [Fact]
    public async Task Composite_allOrNone_publishes_on_commit_and_nothing_when_rolled_back()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/ChangeEvents", preset: ReplayPreset.Earliest);

        // Rolled back: the second subrequest fails, so neither account exists and no event is published.
        using (var failed = await org.Http.PostAsync(new Uri($"{Data}/composite", UriKind.Relative), Json(new
        {
            allOrNone = true,
            compositeRequest = new object[]
            {
                new { method = "POST", url = $"{Data}/sobjects/Account", referenceId = "a", body = new { Name = "Rolled back" } },
                new { method = "POST", url = $"{Data}/sobjects/Account", referenceId = "b", body = new { NoSuchField__c = 1 } },
            },
        }), TestContext.Current.CancellationToken))
        {
            Assert.True(failed.IsSuccessStatusCode);
        }

        await org.SendAsync(HttpMethod.Post, $"{Data}/composite", new
        {
            allOrNone = true,
            compositeRequest = new object[]
            {
                new { method = "POST", url = $"{Data}/sobjects/Account", referenceId = "acct", body = new { Name = "Kept" } },
                new { method = "POST", url = $"{Data}/sobjects/Contact", referenceId = "c", body = new { LastName = "Kept", AccountId = "@{acct.id}" } },
            },
        });
        var events = await subscription.TakeAsync(2);

        Assert.Equal([("Account", "CREATE"), ("Contact", "CREATE")], events.Select(e => (e.EntityName, e.ChangeType)));
        Assert.Equal("Kept", events[0]["Name"]);
        Assert.Single(events.Select(e => e.TransactionKey).Distinct());
    }

    [Fact]
    public async Task Tree_and_graph_publish_their_records()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/ChangeEvents", preset: ReplayPreset.Earliest);

        await org.SendAsync(HttpMethod.Post, $"{Data}/composite/tree/Account", new
        {
            records = new[]
            {
                new
                {
                    attributes = new { type = "Account", referenceId = "ref1" },
                    Name = "Tree",
                    Contacts = new { records = new[] { new { attributes = new { type = "Contact", referenceId = "ref2" }, LastName = "Leaf" } } },
                },
            },
        });
        await org.SendAsync(HttpMethod.Post, $"{Data}/composite/graph", new
        {
            graphs = new[]
            {
                new
                {
                    graphId = "g1",
                    compositeRequest = new[] { new { method = "POST", url = $"{Data}/sobjects/Account", referenceId = "a", body = new { Name = "Graph" } } },
                },
            },
        });
        var events = await subscription.TakeAsync(3);

        Assert.Equal([("Account", "CREATE"), ("Contact", "CREATE"), ("Account", "CREATE")], events.Select(e => (e.EntityName, e.ChangeType)));
        Assert.Equal(["Tree", "Graph"], events.Where(e => e.EntityName == "Account").Select(e => (string)e["Name"]!));
        Assert.Equal(events[0].TransactionKey, events[1].TransactionKey);
        Assert.NotEqual(events[0].TransactionKey, events[2].TransactionKey);
    }

    [Fact]
    public async Task Bulk_ingest_publishes_the_jobs_records()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);

        var job = await org.SendForJsonAsync(HttpMethod.Post, $"{Data}/jobs/ingest", new { @object = "Account", operation = "insert", lineEnding = "LF" });
        var jobId = job.GetProperty("id").GetString()!;
        using (var upload = await org.Http.PutAsync(new Uri($"{Data}/jobs/ingest/{jobId}/batches", UriKind.Relative), new StringContent("Name\nBulk One\nBulk Two\n", Encoding.UTF8, "text/csv"), TestContext.Current.CancellationToken))
        {
            Assert.True(upload.IsSuccessStatusCode);
        }

        await org.SendAsync(HttpMethod.Patch, $"{Data}/jobs/ingest/{jobId}", new { state = "UploadComplete" });
        var events = await subscription.TakeAsync(2);

        Assert.Equal(["Bulk One", "Bulk Two"], events.Select(e => (string)e["Name"]!));
        Assert.All(events, e => Assert.Equal("CREATE", e.ChangeType));
        Assert.All(events, e => Assert.StartsWith("com/salesforce/api/bulkapi/", (string)e.Header["changeOrigin"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bulk_1_0_batches_publish_their_records_with_the_bulk_api_origin()
    {
        await using var org = await PubSubOrg.StartAsync();
        using var subscription = await org.SubscribeAsync("/data/AccountChangeEvent", preset: ReplayPreset.Earliest);
        using var http = new HttpClient(org.Emulator.CreateHandler()) { BaseAddress = org.Emulator.InstanceUrl };
        http.DefaultRequestHeaders.Add("X-SFDC-Session", org.Emulator.Options.AccessToken);
        XNamespace ns = "http://www.force.com/2009/06/asyncapi/dataload";

        var job = await Xml(http, "/services/async/66.0/job", """
            <?xml version="1.0" encoding="UTF-8"?>
            <jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>
            """, "application/xml");
        var jobId = job.Element(ns + "id")!.Value;
        await Xml(http, $"/services/async/66.0/job/{jobId}/batch", "Name\nV1 One\nV1 Two\n", "text/csv");
        var events = await subscription.TakeAsync(2);

        Assert.Equal(["V1 One", "V1 Two"], events.Select(e => (string)e["Name"]!));
        Assert.All(events, e => Assert.Equal("com/salesforce/api/bulkapi/66.0", e.Header["changeOrigin"]));
    }

    [Fact]
    public async Task ConvertLead_publishes_the_new_account_contact_and_opportunity_and_the_lead_update_in_one_transaction()
    {
        await using var org = await PubSubOrg.StartAsync();
        var lead = await org.CreateAsync("Lead", new { LastName = "Turing", Company = "Bletchley" });
        using var subscription = await org.SubscribeAsync("/data/ChangeEvents", preset: ReplayPreset.Custom, replayId: org.Emulator.PubSub.Bus.LatestReplayId);

        await Soap(org, $"<urn:convertLead><urn:leadConverts><urn:leadId>{lead}</urn:leadId><urn:convertedStatus>Closed - Converted</urn:convertedStatus></urn:leadConverts></urn:convertLead>");
        var events = await subscription.TakeAsync(4);

        Assert.Equal(
            [("Account", "CREATE"), ("Contact", "CREATE"), ("Lead", "UPDATE"), ("Opportunity", "CREATE")],
            events.Select(e => (e.EntityName, e.ChangeType)).Order());
        Assert.Single(events.Select(e => e.TransactionKey).Distinct());
        Assert.Contains("IsConverted", events.Single(e => e.EntityName == "Lead").ChangedFields);
    }

    private static async Task<XElement> Xml(HttpClient http, string path, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new(contentType) { CharSet = "UTF-8" };
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        return XDocument.Parse(text).Root!;
    }

    private static StringContent Json(object body) => new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task Soap(PubSubOrg org, string body)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{SalesforceEmulatorOptions.DefaultAccessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body>{body}</soapenv:Body>
            </soapenv:Envelope>
            """;
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await org.Http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain("<success>false</success>", text, StringComparison.Ordinal);
    }
}
