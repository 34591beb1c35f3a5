using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Limits;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Tests.FixtureParsing;

/// <summary>Every recorded response parses into the SDK model it stands for, with the values the file holds.</summary>
public sealed class FixtureParsingTests
{
    private static JsonSerializerOptions Options => SalesforceJsonContext.Serializer.ReadOptions;

    private static T Parse<T>(string fixture) => JsonSerializer.Deserialize<T>(FixtureText(fixture), Options)
        ?? throw new InvalidOperationException($"{fixture} parsed to null.");

    private static string FixtureText(string fixture) => Fixtures.Read(fixture);

    private static JsonElement Raw(string fixture) => JsonDocument.Parse(FixtureText(fixture)).RootElement;

    private static TheoryData<string> FilesIn(string folder, Func<string, bool>? where = null) =>
        new(Fixtures.All(folder).Where(where ?? (_ => true)));

    // ---- query ---------------------------------------------------------------------------------

    public static TheoryData<string> QueryFiles => FilesIn("query");

    [Fact]
    public void The_query_folder_holds_the_expected_files()
    {
        Assert.Equal(8, QueryFiles.Count);
    }

    [Theory]
    [MemberData(nameof(QueryFiles))]
    public void Every_query_fixture_parses_to_a_QueryResult_that_matches_the_JSON(string fixture)
    {
        var result = Parse<QueryResult<SObject>>(fixture);
        var raw = Raw(fixture);

        Assert.Equal(raw.GetProperty("totalSize").GetInt32(), result.TotalSize);
        Assert.Equal(raw.GetProperty("done").GetBoolean(), result.Done);
        Assert.Equal(raw.TryGetProperty("nextRecordsUrl", out var next) ? next.GetString() : null, result.NextRecordsUrl);
        AssertRecordsMatch(raw.GetProperty("records"), result.Records);
    }

    [Fact]
    public void Org_query()
    {
        var result = Parse<QueryResult<SObject>>("query/org_query.restforce.json");

        Assert.Equal(1, result.TotalSize);
        Assert.True(result.Done);
        Assert.Null(result.NextRecordsUrl);
        var org = Assert.Single(result.Records);
        Assert.Equal("Organization", org.Type);
        Assert.Equal("00Dx0000000BV7z", org.Id);
        Assert.Equal("/services/data/v20.0/sobjects/Organization/00Dx0000000BV7z", org.Url);
        Assert.Equal(0, org.FieldCount);
    }

    [Fact]
    public void Aggregate_query()
    {
        var result = Parse<QueryResult<SObject>>("query/query_aggregate.restforce.json");

        Assert.Equal(3, result.TotalSize);
        Assert.True(result.Done);
        Assert.Equal(3, result.Records.Count);
        Assert.All(result.Records, r =>
        {
            Assert.Equal("AggregateResult", r.Type);
            Assert.Null(r.Url);
            Assert.Null(r.Id);
        });
        Assert.Equal([300m, 100m, 400m], result.Records.Select(r => r.Get<decimal>("expr0")));
        Assert.Equal(400L, Assert.IsType<long>(result.Records[2]["expr0"]));
        Assert.Equal(300.0m, Assert.IsType<decimal>(result.Records[0]["expr0"]));
        Assert.Equal(["701E0000000JuFHIA0", "701E00000005ZqAIAU", null], result.Records.Select(r => r.Get<string>("CampaignId")));
        Assert.True(result.Records[2].Contains("CampaignId"));
    }

    [Fact]
    public void Empty_query()
    {
        var result = Parse<QueryResult<SObject>>("query/query_empty.restforce.json");

        Assert.Equal(0, result.TotalSize);
        Assert.True(result.Done);
        Assert.Null(result.NextRecordsUrl);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void First_page_has_a_nextRecordsUrl()
    {
        var result = Parse<QueryResult<SObject>>("query/query_page1_nextRecordsUrl.restforce.json");

        Assert.Equal(2, result.TotalSize);
        Assert.False(result.Done);
        Assert.Equal("/services/data/v26.0/query/01gD", result.NextRecordsUrl);
        var record = Assert.Single(result.Records);
        Assert.Equal("Whizbang", record.Type);
        Assert.Equal("First Page", record.Get<string>("Text_Label"));
    }

    [Fact]
    public void Last_page_is_done()
    {
        var result = Parse<QueryResult<SObject>>("query/query_page2_last.restforce.json");

        Assert.Equal(2, result.TotalSize);
        Assert.True(result.Done);
        Assert.Null(result.NextRecordsUrl);
        Assert.Equal("Last Page", Assert.Single(result.Records).Get<string>("Text_Label"));
    }

    [Fact]
    public void Query_success_reads_every_kind_of_field()
    {
        var result = Parse<QueryResult<SObject>>("query/query_success.restforce.json");

        Assert.Equal(1, result.TotalSize);
        Assert.True(result.Done);
        var record = Assert.Single(result.Records);
        Assert.Equal("Whizbang", record.Type);
        Assert.Equal("/services/data/v20.0/sobjects/Whizbang/foo", record.Url);
        Assert.Null(record.Id);
        Assert.False(record.Get<bool>("Checkbox_Label"));
        Assert.Equal("Hi there!", record.Get<string>("Text_Label"));
        Assert.Equal(new DateOnly(2010, 1, 1), record.Get<DateOnly>("Date_Label"));
        Assert.Equal(new DateTimeOffset(2011, 7, 7, 0, 37, 0, TimeSpan.Zero), record.Get<DateTimeOffset>("DateTime_Label"));
        Assert.Equal("four;six", record.Get<string>("Picklist_Multiselect_Label"));
    }

    [Fact]
    public void Query_success_reads_the_parent_relationship_even_with_attributes_last()
    {
        var record = Assert.Single(Parse<QueryResult<SObject>>("query/query_success.restforce.json").Records);

        var parent = Assert.IsType<SObject>(record["ParentWhizbang__r"]);
        Assert.Equal("Whizbang", parent.Type);
        Assert.Equal("/services/data/v20.0/sobjects/Whizbang/bar", parent.Url);
        Assert.Equal("Parent Whizbang", record.Get<string>("ParentWhizbang__r.Name"));
        Assert.Equal("Hello", record.Get<string>("ParentWhizbang__r.Text_Label"));
    }

    [Fact]
    public void Query_success_reads_the_child_subquery()
    {
        var record = Assert.Single(Parse<QueryResult<SObject>>("query/query_success.restforce.json").Records);

        var children = Assert.IsType<QueryResult<SObject>>(record["Whizbangs__r"]);
        Assert.Equal(1, children.TotalSize);
        Assert.True(children.Done);
        var child = Assert.Single(children.Records);
        Assert.Equal("Whizbang__c", child.Type);
        Assert.Equal("/services/data/v24.0/sobjects/Whizbang__c/a00E0000004D5lsIAC", child.Url);
        Assert.Equal("Child Whizbang", child.Get<string>("Name"));
    }

    [Fact]
    public void Subquery_paging_first_page_has_an_unfinished_child_result()
    {
        var result = Parse<QueryResult<SObject>>("query/subquery_paging_page1.jsforce.json");

        Assert.Equal(1, result.TotalSize);
        Assert.True(result.Done);
        Assert.Null(result.NextRecordsUrl);
        var account = Assert.Single(result.Records);
        Assert.Equal("Account", account.Type);
        Assert.Equal("001xx000003DGb2AAG", account.Id);
        Assert.Equal("Test Account", account.Get<string>("Name"));

        var contacts = Assert.IsType<QueryResult<SObject>>(account["Contacts"]);
        Assert.False(contacts.Done);
        Assert.Equal(250, contacts.TotalSize);
        Assert.Equal("/services/data/v53.0/query/01gxx000000NEXT001", contacts.NextRecordsUrl);
        Assert.Equal(200, contacts.Records.Count);
        Assert.Equal("003xx000000000000", contacts.Records[0].Id);
        Assert.Equal("Contact 1", contacts.Records[0].Get<string>("LastName"));
        Assert.Equal("003xx000000000199", contacts.Records[199].Id);
        Assert.Equal("Contact 200", contacts.Records[199].Get<string>("LastName"));
        Assert.All(contacts.Records, c => Assert.Equal("Contact", c.Type));
    }

    [Fact]
    public void Subquery_paging_second_page_holds_the_rest_of_the_children()
    {
        var result = Parse<QueryResult<SObject>>("query/subquery_paging_page2.jsforce.json");

        Assert.Equal(50, result.TotalSize);
        Assert.True(result.Done);
        Assert.Null(result.NextRecordsUrl);
        Assert.Equal(50, result.Records.Count);
        Assert.Equal("003xx000000000200", result.Records[0].Id);
        Assert.Equal("Contact 201", result.Records[0].Get<string>("LastName"));
        Assert.Equal("003xx000000000249", result.Records[^1].Id);
        Assert.Equal("Contact 250", result.Records[^1].Get<string>("LastName"));
    }

    // ---- records -------------------------------------------------------------------------------

    /// <summary>
    /// The JSON files of fixtures/records that have an SDK model. <c>list_view_results</c> is a list-view response, for which
    /// the SDK has no model (yet); it is checked to be valid JSON only.
    /// </summary>
    public static TheoryData<string> RecordFiles => FilesIn("records", f => f.EndsWith(".json", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(RecordFiles))]
    public void Every_records_fixture_parses_to_its_model(string fixture)
    {
        var name = Path.GetFileName(fixture);
        var raw = Raw(fixture);
        switch (name)
        {
            case "create_success.restforce.json" or "upsert_created.restforce.json":
                var save = Parse<SaveResponse>(fixture);
                Assert.Equal(raw.GetProperty("id").GetString(), save.Id);
                Assert.Equal(raw.GetProperty("success").GetBoolean(), save.Success);
                Assert.Equal(raw.GetProperty("errors").GetArrayLength(), save.Errors.Count);
                break;
            case "get_updated.restforce.json":
                Assert.Equal(raw.GetProperty("ids").GetArrayLength(), Parse<UpdatedRecords>(fixture).Ids.Count);
                break;
            case "get_deleted.restforce.json":
                Assert.Equal(raw.GetProperty("deletedRecords").GetArrayLength(), Parse<DeletedRecords>(fixture).Records.Count);
                break;
            case "recent.restforce.json":
                AssertRecordsMatch(raw, Parse<List<SObject>>(fixture));
                break;
            case "list_view_results.restforce.json":
                Assert.Equal("MyAccounts", raw.GetProperty("developerName").GetString());
                break;
            default:
                Assert.Fail($"{fixture} has no model assigned in this test; add one.");
                break;
        }
    }

    [Fact]
    public void Create_success()
    {
        var save = Parse<SaveResponse>("records/create_success.restforce.json");

        Assert.Equal("some_id", save.Id);
        Assert.True(save.Success);
        Assert.Empty(save.Errors);
        Assert.Null(save.Created);
    }

    [Fact]
    public void Upsert_created_has_the_id_and_no_created_flag()
    {
        // This recording predates API 46.0, which added "created"; the client then falls back to the 201 status.
        var save = Parse<SaveResponse>("records/upsert_created.restforce.json");

        Assert.Equal("foo", save.Id);
        Assert.True(save.Success);
        Assert.Empty(save.Errors);
        Assert.Null(save.Created);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_current_upsert_response_carries_created(bool created)
    {
        var save = JsonSerializer.Deserialize<SaveResponse>(
            $$"""{"id":"001xx000003DGb2AAG","success":true,"errors":[],"created":{{(created ? "true" : "false")}}}""", Options)!;

        Assert.Equal(created, save.Created);
        Assert.Equal("001xx000003DGb2AAG", save.Id);
    }

    [Fact]
    public void A_failed_save_result_maps_statusCode_to_the_error_code()
    {
        var save = JsonSerializer.Deserialize<SaveResponse>(
            """{"id":null,"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}""",
            Options)!;

        Assert.False(save.Success);
        var error = Assert.Single(save.Errors).ToError();
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
        Assert.Equal("Required fields are missing: [Name]", error.Message);
        Assert.Equal(["Name"], error.Fields);
    }

    [Fact]
    public void Get_updated()
    {
        var updated = Parse<UpdatedRecords>("records/get_updated.restforce.json");

        Assert.Equal(7, updated.Ids.Count);
        Assert.Equal("003q000000KvQ1tAAF", updated.Ids[0]);
        Assert.Equal("003q000000KwYFaAAN", updated.Ids[^1]);
        Assert.Equal(new DateTimeOffset(2015, 8, 19, 8, 17, 0, TimeSpan.Zero), updated.LatestDateCovered);
        Assert.Equal(TimeSpan.Zero, updated.LatestDateCovered.Offset);
    }

    [Fact]
    public void Get_deleted()
    {
        var deleted = Parse<DeletedRecords>("records/get_deleted.restforce.json");

        var record = Assert.Single(deleted.Records);
        Assert.Equal("a00D0000008pQRAIA2", record.Id);
        Assert.Equal(new DateTimeOffset(2013, 5, 7, 22, 7, 19, TimeSpan.Zero), record.DeletedDate);
        Assert.Equal(new DateTimeOffset(2013, 5, 3, 15, 57, 0, TimeSpan.Zero), deleted.EarliestDateAvailable);
        Assert.Equal(new DateTimeOffset(2013, 5, 8, 21, 20, 0, TimeSpan.Zero), deleted.LatestDateCovered);
    }

    [Fact]
    public void Recent_items()
    {
        var recent = Parse<List<SObject>>("records/recent.restforce.json");

        Assert.Equal(["foo", "bar"], recent.Select(r => r.Id));
        Assert.All(recent, r => Assert.Equal("Whizbang", r.Type));
        Assert.All(recent, r => Assert.Equal("whatever", r.Get<string>("Name")));
        Assert.Equal("/services/data/v23.0/sobjects/Whizbang/bar", recent[1].Url);
    }

    [Fact]
    public void The_204_upsert_fixture_is_empty()
    {
        Assert.Equal(string.Empty, FixtureText("records/upsert_updated_204_empty.restforce.txt"));
    }

    // ---- describe ------------------------------------------------------------------------------

    public static TheoryData<string> DescribeFiles => FilesIn("describe");

    [Theory]
    [MemberData(nameof(DescribeFiles))]
    public void Every_describe_fixture_parses_to_its_model(string fixture)
    {
        var raw = Raw(fixture);
        switch (Path.GetFileName(fixture))
        {
            case "describe_global.restforce.json" or "list_sobjects.restforce.json":
                var global = Parse<DescribeGlobalResult>(fixture);
                Assert.Equal(raw.GetProperty("sobjects").GetArrayLength(), global.SObjects.Count);
                Assert.Equal(raw.GetProperty("maxBatchSize").GetInt32(), global.MaxBatchSize);
                break;
            case "sobject_describe.restforce.json":
                var describe = Parse<SObjectDescribe>(fixture);
                Assert.Equal(raw.GetProperty("fields").GetArrayLength(), describe.Fields.Count);
                Assert.Equal(raw.GetProperty("childRelationships").GetArrayLength(), describe.ChildRelationships.Count);
                break;
            case "versions.restforce.json":
                Assert.Equal(raw.GetArrayLength(), Parse<List<ApiVersionInfo>>(fixture).Count);
                break;
            default:
                Assert.Fail($"{fixture} has no model assigned in this test; add one.");
                break;
        }
    }

    [Theory]
    [InlineData("describe/describe_global.restforce.json")]
    [InlineData("describe/list_sobjects.restforce.json")]
    public void Describe_global(string fixture)
    {
        var global = Parse<DescribeGlobalResult>(fixture);

        Assert.Equal("UTF-8", global.Encoding);
        Assert.Equal(200, global.MaxBatchSize);
        var account = Assert.Single(global.SObjects);
        Assert.Equal("Account", account.Name);
        Assert.Equal("001", account.KeyPrefix);
        Assert.Equal("Accounts", account.LabelPlural);
        Assert.False(account.Custom);
        Assert.True(account.Createable);
        Assert.True(account.Queryable);
        Assert.True(account.FeedEnabled);
        Assert.Equal("/services/data/v23.0/sobjects/Account/{ID}", account.Urls["rowTemplate"]);
        Assert.NotNull(account.AdditionalProperties);
        Assert.False(account.AdditionalProperties!["activateable"].GetBoolean());
    }

    [Fact]
    public void SObject_describe()
    {
        var describe = Parse<SObjectDescribe>("describe/sobject_describe.restforce.json");

        Assert.Equal("Whizbang", describe.Name);
        Assert.Equal("a01", describe.KeyPrefix);
        Assert.True(describe.Custom);
        Assert.Equal(30, describe.Fields.Count);
        Assert.Equal(12, describe.ChildRelationships.Count);
        var recordType = Assert.Single(describe.RecordTypeInfos);
        Assert.Equal("Master", recordType.Name);
        Assert.Equal("012000000000000AAA", recordType.RecordTypeId);
        Assert.True(recordType.DefaultRecordTypeMapping);
        Assert.Equal("/services/data/v23.0/sobjects/Whizbang/describe", describe.Urls["describe"]);
    }

    [Fact]
    public void SObject_describe_picklist_field()
    {
        var describe = Parse<SObjectDescribe>("describe/sobject_describe.restforce.json");

        var picklist = describe.FindField("picklist_field")!;
        Assert.Equal("Picklist_Field", picklist.Name);
        Assert.Equal("picklist", picklist.Type);
        Assert.Equal(255, picklist.Length);
        Assert.Equal(
            ["one", "two", "three", "control_four", "control_five", "control_six", "control_seven", "control_eight", "control_nine", "control_ten"],
            picklist.PicklistValues.Select(v => v.Value));
        Assert.True(picklist.PicklistValues[0].DefaultValue);
        Assert.All(picklist.PicklistValues.Skip(1), v => Assert.False(v.DefaultValue));
        Assert.Null(picklist.DefaultValue);

        var dependent = describe.FindField("Dependent_Picklist_Field")!;
        Assert.True(dependent.DependentPicklist);
        Assert.Equal("Picklist_Field", dependent.ControllerName);
        Assert.Equal(["gAAA", "gAAA", "QAAA", "AEAA"], dependent.PicklistValues.Select(v => v.ValidFor));

        var multi = describe.FindField("Picklist_Multiselect_Field")!;
        Assert.Equal("multipicklist", multi.Type);
        Assert.Equal(["four", "five", "six"], multi.PicklistValues.Select(v => v.Value));
    }

    [Fact]
    public void SObject_describe_reference_fields()
    {
        var describe = Parse<SObjectDescribe>("describe/sobject_describe.restforce.json");

        var parent = describe.FindField("ParentWhizbang__c")!;
        Assert.Equal("reference", parent.Type);
        Assert.Equal(["Whizbang"], parent.ReferenceTo);
        Assert.Equal("ParentWhizbang__r", parent.RelationshipName);
        Assert.True(parent.IdLookup);

        var owner = describe.FindField("OwnerId")!;
        Assert.Equal(["Group", "User"], owner.ReferenceTo);
        Assert.Equal("Owner", owner.RelationshipName);
        Assert.False(owner.Nillable);
        Assert.Equal("tns:ID", owner.SoapType);

        Assert.Null(describe.FindField("NoSuchField"));
    }

    [Fact]
    public void SObject_describe_child_relationships()
    {
        var describe = Parse<SObjectDescribe>("describe/sobject_describe.restforce.json");

        var attachments = describe.ChildRelationships[0];
        Assert.Equal("Attachment", attachments.ChildSObject);
        Assert.Equal("ParentId", attachments.Field);
        Assert.Equal("Attachments", attachments.RelationshipName);
        Assert.False(attachments.CascadeDelete);
        Assert.Equal(6, describe.ChildRelationships.Count(r => r.RelationshipName is null));
        Assert.Equal(8, describe.ChildRelationships.Count(r => r.CascadeDelete));
    }

    [Fact]
    public void Versions()
    {
        var versions = Parse<List<ApiVersionInfo>>("describe/versions.restforce.json");

        Assert.Equal(
            [new ApiVersionInfo { Version = "20.0", Label = "Winter '11", Url = "/services/data/v20.0" }, new ApiVersionInfo
            {
                Version = "100",
                Label = "Spring '86",
                Url = "/services/data/v100",
            }],
            versions);
    }

    // ---- limits --------------------------------------------------------------------------------

    public static TheoryData<string> LimitFiles => FilesIn("limits");

    [Theory]
    [MemberData(nameof(LimitFiles))]
    public void Every_limits_fixture_parses_with_every_limit(string fixture)
    {
        var limits = Parse<Dictionary<string, OrganizationLimit>>(fixture);
        var raw = Raw(fixture);

        Assert.Equal(raw.EnumerateObject().Count(), limits.Count);
        foreach (var property in raw.EnumerateObject())
        {
            var limit = limits[property.Name];
            Assert.Equal(property.Value.GetProperty("Max").GetInt64(), limit.Max);
            Assert.Equal(property.Value.GetProperty("Remaining").GetInt64(), limit.Remaining);
        }
    }

    [Theory]
    [InlineData("limits/limits.camel.json")]
    [InlineData("limits/limits.simple-salesforce.json")]
    public void Daily_API_requests(string fixture)
    {
        var limits = Parse<Dictionary<string, OrganizationLimit>>(fixture);

        Assert.Equal(23, limits.Count);
        var daily = limits["DailyApiRequests"];
        Assert.Equal(15000, daily.Max);
        Assert.Equal(14998, daily.Remaining);
        Assert.Equal(2, daily.Used);
        Assert.Empty(daily.ByApplication);
        Assert.Equal(999999999, limits["HourlyDashboardStatuses"].Max);
    }

    [Fact]
    public void A_limit_reads_Remaining_before_Max()
    {
        // limits.camel.json lists HourlyODataCallout as {"Remaining": 9999, "Max": 10000}.
        Assert.Contains("\"Remaining\": 9999,\n    \"Max\": 10000", FixtureText("limits/limits.camel.json").ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var odata = Parse<Dictionary<string, OrganizationLimit>>("limits/limits.camel.json")["HourlyODataCallout"];

        Assert.Equal(10000, odata.Max);
        Assert.Equal(9999, odata.Remaining);
        Assert.Equal(1, odata.Used);
    }

    [Fact]
    public void Per_app_sub_limits_are_read()
    {
        // Neither recorded limits file carries a per-app figure; this is the shape of the Salesforce documentation.
        const string json = """
            {
              "DailyApiRequests": { "Max": 15000, "Remaining": 14980, "My App": { "Max": 100, "Remaining": 40 }, "Other App": { "Remaining": 0, "Max": 0 } },
              "DataStorageMB": { "Max": 1024, "Remaining": 38 }
            }
            """;

        var limits = JsonSerializer.Deserialize<Dictionary<string, OrganizationLimit>>(json, Options)!;

        var daily = limits["DailyApiRequests"];
        Assert.Equal(15000, daily.Max);
        Assert.Equal(14980, daily.Remaining);
        Assert.Equal(["My App", "Other App"], daily.ByApplication.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(100, daily.ByApplication["My App"].Max);
        Assert.Equal(40, daily.ByApplication["My App"].Remaining);
        Assert.Equal(60, daily.ByApplication["My App"].Used);
        Assert.Equal(0, daily.ByApplication["Other App"].Max);
        Assert.Equal(986, limits["DataStorageMB"].Used);
    }

    [Fact]
    public void Limits_write_back_in_the_same_shape()
    {
        var limits = new Dictionary<string, OrganizationLimit>
        {
            ["DailyApiRequests"] = new(15000, 14980, new Dictionary<string, OrganizationLimit> { ["My App"] = new(100, 40) }),
        };

        Assert.Equal(
            """{"DailyApiRequests":{"Max":15000,"Remaining":14980,"My App":{"Max":100,"Remaining":40}}}""",
            JsonSerializer.Serialize(limits, SalesforceJsonContext.Serializer.WriteOptions));
    }

    // ---- search --------------------------------------------------------------------------------

    public static TheoryData<string> SearchFiles => FilesIn("search");

    [Theory]
    [MemberData(nameof(SearchFiles))]
    public void Every_search_fixture_parses(string fixture)
    {
        var raw = Raw(fixture);
        var records = QueryClient.ParseSearch<SObject>(Encoding.UTF8.GetBytes(FixtureText(fixture)), Options);

        AssertRecordsMatch(raw.ValueKind == JsonValueKind.Array ? raw : raw.GetProperty("searchRecords"), records);
    }

    [Fact]
    public void Legacy_search_array()
    {
        var records = QueryClient.ParseSearch<SObject>(Encoding.UTF8.GetBytes(FixtureText("search/search_legacy_array.restforce.json")), Options);

        Assert.Equal(["foo", "bar"], records.Select(r => r.Id));
        Assert.All(records, r => Assert.Equal("Whizbang", r.Type));
        Assert.Equal("/services/data/v23.0/sobjects/Whizbang/foo", records[0].Url);
    }

    [Fact]
    public void Current_search_records_object()
    {
        const string json = """
            {
              "searchRecords": [
                { "attributes": { "type": "Account", "url": "/services/data/v66.0/sobjects/Account/001D000000IqhSLIAZ" }, "Id": "001D000000IqhSLIAZ", "Name": "Acme" },
                { "attributes": { "type": "Contact", "url": "/services/data/v66.0/sobjects/Contact/003D000000QV9n2IAD" }, "Id": "003D000000QV9n2IAD" }
              ],
              "metadata": { "entityMetadata": [] }
            }
            """;

        var records = QueryClient.ParseSearch<SObject>("  \r\n"u8.ToArray().Concat(Encoding.UTF8.GetBytes(json)).ToArray(), Options);

        Assert.Equal(["001D000000IqhSLIAZ", "003D000000QV9n2IAD"], records.Select(r => r.Id));
        Assert.Equal(["Account", "Contact"], records.Select(r => r.Type));
        Assert.Equal("Acme", records[0].Get<string>("Name"));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"searchRecords":[]}""")]
    [InlineData("{}")]
    public void An_empty_search_has_no_records(string json)
    {
        Assert.Empty(QueryClient.ParseSearch<SObject>(Encoding.UTF8.GetBytes(json), Options));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// <summary>Each parsed record has the type, URL, id and field count of its JSON object.</summary>
    private static void AssertRecordsMatch(JsonElement rawRecords, IReadOnlyList<SObject> records)
    {
        Assert.Equal(rawRecords.GetArrayLength(), records.Count);
        var i = 0;
        foreach (var raw in rawRecords.EnumerateArray())
        {
            var record = records[i++];
            var attributes = raw.GetProperty("attributes");
            Assert.Equal(attributes.GetProperty("type").GetString(), record.Type);
            Assert.Equal(attributes.TryGetProperty("url", out var url) ? url.GetString() : null, record.Url);
            Assert.Equal(raw.TryGetProperty("Id", out var id) ? id.GetString() : null, record.Id);
            var fieldCount = raw.EnumerateObject().Count(p => p.Name is not "attributes" and not "Id");
            Assert.Equal(fieldCount, record.FieldCount);
        }
    }
}
