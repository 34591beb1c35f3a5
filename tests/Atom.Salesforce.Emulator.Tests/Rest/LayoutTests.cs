using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Rest;

/// <summary>
/// Page layouts, compact layouts and quick actions (REST API Developer Guide: "Describe Layouts", "Get Layouts and
/// Descriptions for an Object With Multiple Record Types", "sObject CompactLayouts", "Compact Layouts", "Quick
/// Actions", "sObject Quick Actions"; SOAP API DescribeLayoutResult, DescribeCompactLayout,
/// DescribeAvailableQuickActionResult and DescribeQuickActionResult for the fields): a real org always has them.
/// </summary>
public sealed class LayoutTests
{
    private const string Data = "/services/data/v66.0";

    private const string MasterRecordType = "012000000000000AAA";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Describe_layouts_gives_the_layout_of_the_master_record_type_with_the_objects_fields()
    {
        await using var org = new EmulatedOrg();

        using var describe = await GetJson(org, Data + "/sobjects/Account/describe");
        using var result = await GetJson(org, Data + "/sobjects/Account/describe/layouts");
        var layout = result.RootElement.GetProperty("layouts").EnumerateArray().Single();
        var mapping = result.RootElement.GetProperty("recordTypeMappings").EnumerateArray().Single();
        using var byRecordType = await GetJson(org, mapping.GetProperty("urls").GetProperty("layout").GetString()!);

        // RecordTypeMapping: the record type, the layout assigned to it and the URL of that layout.
        Assert.Equal(MasterRecordType, mapping.GetProperty("recordTypeId").GetString());
        Assert.True(mapping.GetProperty("master").GetBoolean());
        Assert.Equal(layout.GetProperty("id").GetString(), mapping.GetProperty("layoutId").GetString());
        Assert.Equal(layout.GetProperty("id").GetString(), byRecordType.RootElement.GetProperty("id").GetString());

        // DescribeLayoutSection → layoutRows → layoutItems → layoutComponents of type Field, whose value names a field of
        // the object and whose details are that field's describe.
        var fieldNames = describe.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToHashSet();
        foreach (var sections in new[] { "detailLayoutSections", "editLayoutSections" })
        {
            var items = layout.GetProperty(sections).EnumerateArray()
                .SelectMany(s => s.GetProperty("layoutRows").EnumerateArray())
                .SelectMany(r => r.GetProperty("layoutItems").EnumerateArray())
                .ToList();
            var components = items.SelectMany(i => i.GetProperty("layoutComponents").EnumerateArray()).Where(c => c.GetProperty("type").GetString() == "Field").ToList();
            Assert.NotEmpty(components);
            Assert.All(components, c => Assert.Contains(c.GetProperty("value").GetString(), fieldNames));
            Assert.All(components, c => Assert.Equal(c.GetProperty("value").GetString(), c.GetProperty("details").GetProperty("name").GetString()));
            var name = items.Single(i => i.GetProperty("layoutComponents").EnumerateArray().Any(c => c.GetProperty("value").GetString() == "Name"));
            Assert.False(string.IsNullOrEmpty(name.GetProperty("label").GetString()));
            if (sections == "editLayoutSections")
            {
                // Account Name is required (describe: nillable false, createable): required and editable on a new record.
                Assert.True(name.GetProperty("required").GetBoolean());
                Assert.True(name.GetProperty("editableForNew").GetBoolean());
            }
        }

        // RelatedList: an account's contacts are listed through Contact.AccountId.
        var contacts = layout.GetProperty("relatedLists").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "Contacts");
        Assert.Equal(("Contact", "AccountId"), (contacts.GetProperty("sobject").GetString(), contacts.GetProperty("field").GetString()));
        Assert.Equal(JsonValueKind.Array, layout.GetProperty("buttonLayoutSection").GetProperty("detailButtons").ValueKind);
    }

    [Fact]
    public async Task Compact_layouts_without_custom_ones_are_the_system_default_with_null_ids()
    {
        await using var org = new EmulatedOrg();

        using var result = await GetJson(org, Data + "/sobjects/Account/describe/compactLayouts");
        using var several = await GetJson(org, Data + "/compactLayouts?q=Account,Contact");

        // "If you haven't defined any compact layouts for an object, the compactLayoutId returns as Null."
        var mapping = result.RootElement.GetProperty("recordTypeCompactLayoutMappings").EnumerateArray().Single();
        Assert.Equal(MasterRecordType, mapping.GetProperty("recordTypeId").GetString());
        Assert.Equal(JsonValueKind.Null, mapping.GetProperty("compactLayoutId").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.RootElement.GetProperty("defaultCompactLayoutId").ValueKind);
        var layout = result.RootElement.GetProperty("compactLayouts").EnumerateArray().Single();
        Assert.Contains("Name", FieldItems(layout));

        // "Compact Layouts": the primary compact layout of each object named in q, keyed by the object's name.
        Assert.Equal(["Account", "Contact"], several.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("Name", FieldItems(several.RootElement.GetProperty("Account")));
        Assert.Contains("Name", FieldItems(several.RootElement.GetProperty("Contact")));
    }

    [Fact]
    public async Task The_standard_quick_actions_are_listed_globally_and_for_an_account_with_describes_that_answer()
    {
        await using var org = new EmulatedOrg();

        using var global = await GetJson(org, Data + "/quickActions");
        using var account = await GetJson(org, Data + "/sobjects/Account/quickActions");
        var logACall = account.RootElement.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "LogACall");
        using var describe = await GetJson(org, logACall.GetProperty("urls").GetProperty("describe").GetString()!);

        // "The resources return all actions—both global and standard—in addition to the ones requested."
        var globalNames = global.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Contains("LogACall", globalNames);
        Assert.Subset(account.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToHashSet(), globalNames.ToHashSet());

        // DescribeAvailableQuickActionResult: type LogACall; DescribeQuickActionResult: a logged call creates a Task.
        Assert.Equal(("Log a Call", "LogACall"), (logACall.GetProperty("label").GetString(), logACall.GetProperty("type").GetString()));
        Assert.Equal(("LogACall", "LogACall", "Task"), (describe.RootElement.GetProperty("name").GetString(), describe.RootElement.GetProperty("type").GetString(), describe.RootElement.GetProperty("targetSobjectType").GetString()));
    }

    private static IEnumerable<string?> FieldItems(JsonElement compactLayout) =>
        compactLayout.GetProperty("fieldItems").EnumerateArray()
            .SelectMany(i => i.GetProperty("layoutComponents").EnumerateArray())
            .Select(c => c.GetProperty("value").GetString());

    private static async Task<JsonDocument> GetJson(EmulatedOrg org, string path)
    {
        using var response = await org.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
