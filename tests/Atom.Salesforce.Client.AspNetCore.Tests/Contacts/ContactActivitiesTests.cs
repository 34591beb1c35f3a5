using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Contacts;

public sealed class ContactActivitiesTests(PackFixture fixture) : IClassFixture<PackFixture>
{
    private PackHost Host => fixture.Host;

    [Fact]
    public async Task Tasks_and_events_make_one_timeline_newest_first_with_preferences()
    {
        var contact = await Host.PostAsync("contacts/create", PackHost.Alice, new { contact_data = new { LastName = "Timeline", Email = "t@example.com", Phone = "+1 555 0100", HasOptedOutOfEmail = true } });
        var contactId = contact.Data.GetProperty("id").GetString()!;
        var sdk = fixture.Sdk;
        var ct = TestContext.Current.CancellationToken;
        await sdk.SObjects.CreateAsync("Task", new Client.Records.SObject("Task") { ["WhoId"] = contactId, ["Subject"] = "Call 1", ["ActivityDate"] = "2026-03-01", ["Status"] = "Completed" }, ct);
        await sdk.SObjects.CreateAsync("Task", new Client.Records.SObject("Task") { ["WhoId"] = contactId, ["Subject"] = "Email 2", ["ActivityDate"] = "2026-05-10" }, ct);
        await sdk.SObjects.CreateAsync("Event", new Client.Records.SObject("Event") { ["WhoId"] = contactId, ["Subject"] = "Meeting", ["ActivityDate"] = "2026-04-02", ["StartDateTime"] = "2026-04-02T15:00:00.000Z", ["DurationInMinutes"] = 30, ["ActivityDateTime"] = "2026-04-02T15:00:00.000Z" }, ct);

        var data = (await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = contactId })).Data;
        Assert.Equal(["Email 2", "Meeting", "Call 1"], data.GetProperty("timeline").EnumerateArray().Select(i => i.GetProperty("subject").GetString()).ToArray());
        Assert.Equal(["task", "event", "task"], data.GetProperty("timeline").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToArray());
        Assert.Equal(2, data.GetProperty("task_count").GetInt32());
        Assert.Equal(1, data.GetProperty("event_count").GetInt32());
        var preferences = data.GetProperty("communication_preferences");
        Assert.True(preferences.GetProperty("email_opt_out").GetBoolean());
        Assert.False(preferences.GetProperty("can_email").GetBoolean());
        Assert.True(preferences.GetProperty("can_call").GetBoolean());

        var ranged = (await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = contactId, date_range = new { start = "2026-04-01", end = "2026-04-30" } })).Data;
        Assert.Equal(["Meeting"], ranged.GetProperty("timeline").EnumerateArray().Select(i => i.GetProperty("subject").GetString()).ToArray());

        (await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = contactId, date_range = new { start = "2026-05-01", end = "2026-04-01" } })).AssertError(400, "INVALID_DATE_RANGE");
        (await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = contactId, date_range = "LAST_N_FORTNIGHTS:2" })).AssertError(400, "INVALID_DATE_RANGE");
        Assert.True((await Host.PostAsync("contacts/activities", PackHost.Alice, new { contact_id = contactId, date_range = "LAST_FISCAL_YEAR" })).Data.TryGetProperty("timeline", out _));
    }
}
