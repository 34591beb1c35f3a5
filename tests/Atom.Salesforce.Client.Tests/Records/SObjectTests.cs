using System.Text.Json;
using System.Text.Json.Serialization;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Tests.Records;

public sealed class SObjectTests
{
    private const string OpportunityJson = """
        {
          "attributes": { "type": "Opportunity", "url": "/services/data/v66.0/sobjects/Opportunity/006xx000001Sv6tAAC" },
          "Id": "006xx000001Sv6tAAC",
          "Name": "Big deal",
          "IsWon": true,
          "IsPrivate": false,
          "Amount": 1250000.50,
          "Probability": 90,
          "ExpectedRevenue": -0.25,
          "CloseDate": "2025-01-31",
          "CreatedDate": "2013-05-20T20:49:32.000+0000",
          "Description": null,
          "Account": {
            "attributes": { "type": "Account", "url": "/services/data/v66.0/sobjects/Account/001xx000003DGb2AAG" },
            "Name": "x",
            "Owner": {
              "attributes": { "type": "User", "url": "/services/data/v66.0/sobjects/User/005xx000001X7dMAAS" },
              "Email": "owner@example.com"
            }
          },
          "Campaign": null,
          "OpportunityContactRoles": {
            "totalSize": 2,
            "done": true,
            "records": [
              { "attributes": { "type": "OpportunityContactRole", "url": "/services/data/v66.0/sobjects/OpportunityContactRole/00Kxx0000001" }, "Id": "00Kxx0000001", "Role": "Decision Maker" },
              { "attributes": { "type": "OpportunityContactRole", "url": "/services/data/v66.0/sobjects/OpportunityContactRole/00Kxx0000002" }, "Id": "00Kxx0000002", "Role": "Evaluator" }
            ]
          },
          "BillingAddress__c": {
            "city": "San Francisco",
            "country": "US",
            "postalCode": "94105",
            "state": "CA",
            "street": "1 Market St",
            "latitude": 37.7936,
            "longitude": null
          },
          "Tags": ["a", "b"]
        }
        """;

    private static JsonSerializerOptions ReadOptions => SalesforceJsonContext.Serializer.ReadOptions;

    private static JsonSerializerOptions WriteOptions => SalesforceJsonContext.Serializer.WriteOptions;

    private static SObject Opportunity() => JsonSerializer.Deserialize<SObject>(OpportunityJson, ReadOptions)!;

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, WriteOptions);

    public sealed class Address
    {
        public string? City { get; set; }
        public string? Country { get; set; }
        public string? PostalCode { get; set; }
        public string? State { get; set; }
        public string? Street { get; set; }
        public double? Latitude { get; set; }
        public double? Longitude { get; set; }
    }

    // ---- reading -------------------------------------------------------------------------------

    [Fact]
    public void Attributes_and_Id_become_Type_Url_and_Id()
    {
        var record = Opportunity();

        Assert.Equal("Opportunity", record.Type);
        Assert.Equal("/services/data/v66.0/sobjects/Opportunity/006xx000001Sv6tAAC", record.Url);
        Assert.Equal("006xx000001Sv6tAAC", record.Id);
        Assert.Equal("006xx000001Sv6tAAC", record["Id"]);
        Assert.DoesNotContain("Id", record.FieldNames);
        Assert.DoesNotContain("attributes", record.FieldNames);
    }

    [Fact]
    public void Fields_keep_their_order_and_count()
    {
        var record = Opportunity();

        Assert.Equal(
            ["Name", "IsWon", "IsPrivate", "Amount", "Probability", "ExpectedRevenue", "CloseDate", "CreatedDate", "Description",
             "Account", "Campaign", "OpportunityContactRoles", "BillingAddress__c", "Tags"],
            record.FieldNames);
        Assert.Equal(14, record.FieldCount);
    }

    [Fact]
    public void Attributes_after_the_fields_are_still_read()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """{"Name":"Acme","Id":"001xx000003DGb2AAG","attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001xx000003DGb2AAG"}}""",
            ReadOptions)!;

        Assert.Equal("Account", record.Type);
        Assert.Equal("/services/data/v66.0/sobjects/Account/001xx000003DGb2AAG", record.Url);
        Assert.Equal("001xx000003DGb2AAG", record.Id);
        Assert.Equal("Acme", record["Name"]);
    }

    [Fact]
    public void A_record_without_attributes_has_an_empty_type()
    {
        var record = JsonSerializer.Deserialize<SObject>("""{"Name":"Acme"}""", ReadOptions)!;

        Assert.Equal(string.Empty, record.Type);
        Assert.Null(record.Url);
        Assert.Null(record.Id);
        Assert.Equal("Acme", record["Name"]);
    }

    [Fact]
    public void Strings_and_booleans_keep_their_kind()
    {
        var record = Opportunity();

        Assert.Equal("Big deal", Assert.IsType<string>(record["Name"]));
        Assert.True(Assert.IsType<bool>(record["IsWon"]));
        Assert.False(Assert.IsType<bool>(record["IsPrivate"]));
    }

    [Fact]
    public void Integers_are_read_as_long_and_fractions_as_exact_decimals()
    {
        var record = Opportunity();

        Assert.Equal(90L, Assert.IsType<long>(record["Probability"]));
        var amount = Assert.IsType<decimal>(record["Amount"]);
        Assert.Equal(1250000.50m, amount);
        Assert.Equal("1250000.50", amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-0.25m, Assert.IsType<decimal>(record["ExpectedRevenue"]));
    }

    [Fact]
    public void A_number_too_large_for_long_is_a_decimal_and_beyond_decimal_a_double()
    {
        var record = JsonSerializer.Deserialize<SObject>("""{"Big":92233720368547758070,"Huge":1e300}""", ReadOptions)!;

        Assert.Equal(92233720368547758070m, Assert.IsType<decimal>(record["Big"]));
        Assert.Equal(1e300, Assert.IsType<double>(record["Huge"]));
    }

    [Fact]
    public void A_parent_relationship_becomes_an_SObject_and_dotted_paths_follow_it()
    {
        var record = Opportunity();

        var account = Assert.IsType<SObject>(record["Account"]);
        Assert.Equal("Account", account.Type);
        Assert.Equal("/services/data/v66.0/sobjects/Account/001xx000003DGb2AAG", account.Url);
        Assert.Equal("x", account["Name"]);
        Assert.Equal("x", record.Get<string>("Account.Name"));
        Assert.Equal("owner@example.com", record.Get<string>("Account.Owner.Email"));
        Assert.Null(record.Get<string>("Account.Missing__c"));
    }

    [Fact]
    public void A_parent_relationship_is_recognised_when_attributes_are_not_its_first_property()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """{"attributes":{"type":"Contact"},"Account":{"Name":"Parent","Industry":"Energy","attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001"}}}""",
            ReadOptions)!;

        var account = Assert.IsType<SObject>(record["Account"]);
        Assert.Equal("Account", account.Type);
        Assert.Equal("Parent", record.Get<string>("Account.Name"));
        Assert.Equal("Energy", record.Get<string>("Account.Industry"));
    }

    [Fact]
    public void A_null_parent_relationship_stays_null()
    {
        var record = Opportunity();

        Assert.True(record.Contains("Campaign"));
        Assert.Null(record["Campaign"]);
        Assert.Null(record.Get<SObject>("Campaign"));
        Assert.Null(record.Get<string>("Campaign.Name"));
    }

    [Fact]
    public void A_dotted_path_through_a_plain_value_throws()
    {
        var record = Opportunity();

        var e = Assert.Throws<InvalidCastException>(() => record.Get<string>("Name.First"));
        Assert.Contains("Name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_subquery_becomes_a_QueryResult_of_SObject()
    {
        var record = Opportunity();

        var roles = Assert.IsType<QueryResult<SObject>>(record["OpportunityContactRoles"]);
        Assert.Equal(2, roles.TotalSize);
        Assert.True(roles.Done);
        Assert.Null(roles.NextRecordsUrl);
        Assert.Equal(["00Kxx0000001", "00Kxx0000002"], roles.Records.Select(r => r.Id));
        Assert.Equal(["Decision Maker", "Evaluator"], roles.Records.Select(r => r.Get<string>("Role")));
        Assert.All(roles.Records, r => Assert.Equal("OpportunityContactRole", r.Type));
        Assert.Same(roles, record.Get<QueryResult<SObject>>("OpportunityContactRoles"));
    }

    [Fact]
    public void A_child_subquery_starting_with_nextRecordsUrl_is_still_a_QueryResult()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """{"Contacts":{"nextRecordsUrl":"/services/data/v66.0/query/01gxx-200","totalSize":201,"done":false,"records":[{"attributes":{"type":"Contact"},"Id":"003xx0000000001"}]}}""",
            ReadOptions)!;

        var contacts = Assert.IsType<QueryResult<SObject>>(record["Contacts"]);
        Assert.Equal(201, contacts.TotalSize);
        Assert.False(contacts.Done);
        Assert.Equal("/services/data/v66.0/query/01gxx-200", contacts.NextRecordsUrl);
        Assert.Equal("003xx0000000001", Assert.Single(contacts.Records).Id);
    }

    [Fact]
    public void A_compound_field_without_attributes_is_a_JsonElement_readable_as_a_POCO()
    {
        var record = Opportunity();

        var element = Assert.IsType<JsonElement>(record["BillingAddress__c"]);
        Assert.Equal(JsonValueKind.Object, element.ValueKind);

        var address = record.Get<Address>("BillingAddress__c")!;
        Assert.Equal("San Francisco", address.City);
        Assert.Equal("US", address.Country);
        Assert.Equal("94105", address.PostalCode);
        Assert.Equal("CA", address.State);
        Assert.Equal("1 Market St", address.Street);
        Assert.Equal(37.7936, address.Latitude);
        Assert.Null(address.Longitude);
    }

    [Fact]
    public void An_array_is_kept_as_a_JsonElement()
    {
        var record = Opportunity();

        var tags = Assert.IsType<JsonElement>(record["Tags"]);
        Assert.Equal(JsonValueKind.Array, tags.ValueKind);
        Assert.Equal(["a", "b"], record.Get<string[]>("Tags")!);
    }

    // ---- Get<T> --------------------------------------------------------------------------------

    [Fact]
    public void Get_reads_Salesforce_datetimes()
    {
        var record = Opportunity();

        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), record.Get<DateTimeOffset>("CreatedDate"));
        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), record.Get<DateTimeOffset?>("CreatedDate"));

        var utc = record.Get<DateTime>("CreatedDate");
        Assert.Equal(new DateTime(2013, 5, 20, 20, 49, 32, DateTimeKind.Utc), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Fact]
    public void Get_reads_Salesforce_dates()
    {
        var record = Opportunity();

        Assert.Equal(new DateOnly(2025, 1, 31), record.Get<DateOnly>("CloseDate"));
        Assert.Equal(new DateOnly(2025, 1, 31), record.Get<DateOnly?>("CloseDate"));
    }

    [Fact]
    public void Get_reads_a_time()
    {
        var record = new SObject("BusinessHours") { ["MondayStartTime"] = "08:30:00.000Z" };

        Assert.Equal(new TimeOnly(8, 30), record.Get<TimeOnly>("MondayStartTime"));
    }

    [Fact]
    public void Get_converts_numbers()
    {
        var record = Opportunity();

        Assert.Equal(90, record.Get<int>("Probability"));
        Assert.Equal(90L, record.Get<long>("Probability"));
        Assert.Equal(90m, record.Get<decimal>("Probability"));
        Assert.Equal(1250000.50m, record.Get<decimal>("Amount"));
        Assert.Equal(1250000.5d, record.Get<double>("Amount"));
        Assert.Equal(90, record.Get<int?>("Probability"));
    }

    [Fact]
    public void Get_of_a_nullable_on_a_null_or_missing_field_is_null()
    {
        var record = Opportunity();

        Assert.Null(record.Get<int?>("Description"));
        Assert.Null(record.Get<int?>("NoSuchField__c"));
        Assert.Null(record.Get<DateTimeOffset?>("Description"));
        Assert.Null(record.Get<string>("Description"));
    }

    [Fact]
    public void Get_of_a_value_type_on_a_null_field_throws_a_clear_InvalidCastException()
    {
        var record = Opportunity();

        var e = Assert.Throws<InvalidCastException>(() => record.Get<int>("Description"));

        Assert.Equal("Field 'Description' is null; read it as Int32? instead of Int32.", e.Message);
    }

    [Fact]
    public void Get_of_a_number_on_a_text_value_throws_InvalidCastException()
    {
        var record = Opportunity();

        var e = Assert.Throws<InvalidCastException>(() => record.Get<int>("Name"));

        Assert.Contains("'Name'", e.Message, StringComparison.Ordinal);
        Assert.Contains("String", e.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Big deal", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_of_a_date_on_a_text_value_throws_InvalidCastException()
    {
        var record = Opportunity();

        Assert.Throws<InvalidCastException>(() => record.Get<DateTimeOffset>("Name"));
        Assert.Throws<InvalidCastException>(() => record.Get<DateOnly>("Name"));
        Assert.Throws<InvalidCastException>(() => record.Get<DateOnly>("CreatedDate"));
    }

    [Fact]
    public void Get_refuses_an_empty_field_name()
    {
        var record = Opportunity();

        Assert.Throws<ArgumentException>(() => record.Get<string>(string.Empty));
        Assert.Throws<ArgumentNullException>(() => record.Get<string>(null!));
    }

    // ---- indexer -------------------------------------------------------------------------------

    [Fact]
    public void The_indexer_is_case_insensitive()
    {
        var record = Opportunity();

        Assert.Equal("Big deal", record["name"]);
        Assert.Equal("Big deal", record["NAME"]);
        Assert.Equal("x", record.Get<string>("account.name"));
        Assert.True(record.Contains("isWON"));
    }

    [Fact]
    public void Setting_a_field_in_another_case_replaces_it()
    {
        var record = new SObject("Account") { ["Name"] = "a" };

        record["NAME"] = "b";

        Assert.Equal(1, record.FieldCount);
        Assert.Equal("""{"Name":"b"}""", Write(record));
    }

    [Fact]
    public void A_field_the_record_does_not_hold_reads_as_null()
    {
        var record = new SObject("Account");

        Assert.Null(record["Industry"]);
        Assert.False(record.Contains("Industry"));
    }

    [Fact]
    public void The_Id_indexer_reads_and_writes_Id()
    {
        var record = new SObject("Account") { ["Id"] = "001xx000003DGb2AAG" };

        Assert.Equal("001xx000003DGb2AAG", record.Id);
        Assert.Equal("001xx000003DGb2AAG", record["id"]);
        Assert.True(record.Contains("Id"));
        Assert.Equal(0, record.FieldCount);

        record["ID"] = null;
        Assert.Null(record.Id);
        Assert.False(record.Contains("Id"));
    }

    [Fact]
    public void The_Id_indexer_refuses_a_non_string()
    {
        var record = new SObject("Account");

        Assert.Throws<ArgumentException>(() => record["Id"] = 42);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("../x")]
    [InlineData("Name/")]
    [InlineData("1Name")]
    [InlineData("_Name")]
    [InlineData("Account.Name")]
    [InlineData("Name\n")]
    [InlineData("Na\"me")]
    public void Setting_a_field_with_an_invalid_name_throws(string field)
    {
        var record = new SObject("Account");

        var e = Assert.Throws<ArgumentException>(() => record[field] = "x");
        Assert.Equal("field", e.ParamName);
        Assert.Equal(0, record.FieldCount);
    }

    [Fact]
    public void Setting_a_field_with_an_empty_or_null_name_throws()
    {
        var record = new SObject("Account");

        Assert.Throws<ArgumentException>(() => record[string.Empty] = "x");
        Assert.Throws<ArgumentNullException>(() => record[null!] = "x");
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("../Account")]
    [InlineData("Account\n")]
    [InlineData("")]
    public void Creating_a_record_of_an_invalid_type_throws(string type)
    {
        var e = Assert.Throws<ArgumentException>(() => new SObject(type));
        Assert.Equal("type", e.ParamName);
    }

    [Fact]
    public void Remove_drops_a_field_so_that_it_is_not_sent()
    {
        var record = new SObject("Account") { ["Name"] = "Acme", ["Phone"] = "555" };

        Assert.True(record.Remove("phone"));
        Assert.False(record.Remove("Phone"));
        Assert.Equal("""{"Name":"Acme"}""", Write(record));
    }

    // ---- writing -------------------------------------------------------------------------------

    [Fact]
    public void A_field_set_to_null_is_written_as_null_and_unset_fields_are_not_written()
    {
        var record = new SObject("Account")
        {
            ["Name"] = "Acme",
            ["Description"] = null,
        };

        Assert.Equal("""{"Name":"Acme","Description":null}""", Write(record));
    }

    [Fact]
    public void A_new_record_without_fields_is_an_empty_object()
    {
        Assert.Equal("{}", Write(new SObject("Account")));
    }

    [Fact]
    public void Id_and_attributes_are_never_written()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001xx000003DGb2AAG"},"Id":"001xx000003DGb2AAG","Name":"Acme"}""",
            ReadOptions)!;
        var created = new SObject("Account") { Id = "001xx000003DGb2AAG", ["Name"] = "Acme" };
        record["Name"] = "Acme";

        Assert.Equal("""{"Name":"Acme"}""", Write(record));
        Assert.Equal("""{"Name":"Acme"}""", Write(created));
    }

    [Fact]
    public void Values_are_written_in_their_JSON_kinds()
    {
        var record = new SObject("Opportunity")
        {
            ["Name"] = "Deal \"One\" – Ünïcode",
            ["IsWon"] = true,
            ["Probability"] = 90L,
            ["Quantity"] = 3,
            ["Amount"] = 1250000.50m,
            ["Ratio"] = 0.5d,
            ["CloseDate"] = new DateOnly(2025, 1, 31),
            ["LastActivity__c"] = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.FromHours(2)),
            ["StartTime__c"] = new TimeOnly(10, 0),
        };

        Assert.Equal(
            """{"Name":"Deal \"One\" – Ünïcode","IsWon":true,"Probability":90,"Quantity":3,"Amount":1250000.50,"Ratio":0.5,"CloseDate":"2025-01-31","LastActivity__c":"2025-01-31T10:00:00.000+0000","StartTime__c":"10:00:00.000Z"}""",
            Write(record));
    }

    [Fact]
    public void A_NaN_value_refuses_to_serialize()
    {
        var record = new SObject("Account") { ["Ratio__c"] = double.NaN };

        Assert.Throws<JsonException>(() => Write(record));
    }

    [Fact]
    public void A_record_read_from_Salesforce_sends_only_the_fields_set_since()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """{"attributes":{"type":"Account"},"Id":"001xx000003DGb2AAG","Name":"Acme","CreatedDate":"2013-05-20T20:49:32.000+0000","AnnualRevenue":1250000.50,"NumberOfEmployees":42,"Active__c":false,"Parent":null}""",
            ReadOptions)!;
        var untouched = Write(record);

        record["NumberOfEmployees"] = 43;
        record["Description"] = null;
        record["Active__c"] = true;
        record.Remove("Active__c");

        Assert.Equal("{}", untouched);
        Assert.Equal("""{"NumberOfEmployees":43,"Description":null}""", Write(record));
        Assert.Equal(["NumberOfEmployees", "Description"], record.FieldsToSend);
        Assert.Equal(1250000.50m, record["AnnualRevenue"]);
    }

    [Fact]
    public void A_record_made_in_code_sends_every_field_it_holds()
    {
        var record = new SObject("Account") { ["Name"] = "Acme", ["Parent"] = null };

        Assert.Equal("""{"Name":"Acme","Parent":null}""", Write(record));
        Assert.Equal(["Name", "Parent"], record.FieldsToSend);
    }

    [Fact]
    public void A_nested_record_reads_as_a_POCO_with_its_id_and_children()
    {
        var record = JsonSerializer.Deserialize<SObject>(
            """
            {"attributes":{"type":"Contact"},"Id":"003xx000004TmiQAAS",
             "Account":{"attributes":{"type":"Account"},"Id":"001xx000003DGb2AAG","Name":"Acme",
               "Contacts":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact"},"Id":"003xx000004TmiQAAS","LastName":"Ng"}]}}}
            """,
            ReadOptions)!;

        var account = record.Get<NestedAccount>("Account")!;

        Assert.Equal("001xx000003DGb2AAG", account.Id);
        Assert.Equal("Acme", account.Name);
        Assert.Equal("Ng", Assert.Single(account.Contacts!.Records).LastName);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.25")]
    public void A_number_with_a_fraction_is_not_silently_rounded_to_an_integer(string json)
    {
        var record = JsonSerializer.Deserialize<SObject>($$"""{"attributes":{"type":"Account"},"Score__c":{{json}}}""", ReadOptions)!;

        Assert.Throws<InvalidCastException>(() => record.Get<int>("Score__c"));
        Assert.Equal(decimal.Parse(json, System.Globalization.CultureInfo.InvariantCulture), record.Get<decimal>("Score__c"));
    }

    public sealed class NestedAccount
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public Atom.Salesforce.Client.Query.QueryResult<NestedContact>? Contacts { get; set; }
    }

    public sealed class NestedContact
    {
        public string? LastName { get; set; }
    }

    [Fact]
    public void ToString_names_type_id_and_fields_but_no_values()
    {
        var record = Opportunity();

        var text = record.ToString();

        Assert.Contains("Opportunity", text, StringComparison.Ordinal);
        Assert.Contains("006xx000001Sv6tAAC", text, StringComparison.Ordinal);
        Assert.Contains("Amount", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Big deal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1250000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("owner@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("San Francisco", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_of_a_new_record_says_new()
    {
        var record = new SObject("Account") { ["Name"] = "secret value" };

        Assert.Equal("Account (new) [Name]", record.ToString());
    }

    // ---- POCO write rules ----------------------------------------------------------------------

    public sealed class AccountPoco
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Industry { get; set; }
        public decimal? AnnualRevenue { get; set; }

        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public string? Description { get; set; }

        public DateTimeOffset? CreatedDate { get; set; }
        public DateTimeOffset? LastModifiedDate { get; set; }
        public DateTimeOffset? SystemModstamp { get; set; }
        public string? CreatedById { get; set; }
        public string? LastModifiedById { get; set; }
        public bool IsDeleted { get; set; }
        public DateTimeOffset? LastViewedDate { get; set; }
        public DateTimeOffset? LastReferencedDate { get; set; }
    }

    public sealed class RenamedPoco
    {
        [JsonPropertyName("id")]
        public string? RecordId { get; set; }

        [JsonPropertyName("Name")]
        public string? Title { get; set; }
    }

    [Fact]
    public void A_POCO_leaves_out_null_properties()
    {
        var account = new AccountPoco { Name = "Acme", Description = "d" };

        Assert.Equal("""{"Name":"Acme","Description":"d"}""", Write(account));
    }

    [Fact]
    public void A_POCO_property_marked_never_ignore_is_written_as_null()
    {
        var account = new AccountPoco { Name = "Acme", Industry = null, Description = null };

        Assert.Equal("""{"Name":"Acme","Description":null}""", Write(account));
    }

    [Fact]
    public void A_POCO_never_writes_Id_or_system_fields_even_when_set()
    {
        var at = new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero);
        var account = new AccountPoco
        {
            Id = "001xx000003DGb2AAG",
            Name = "Acme",
            AnnualRevenue = 1250000.50m,
            Description = "d",
            CreatedDate = at,
            LastModifiedDate = at,
            SystemModstamp = at,
            CreatedById = "005xx000001X7dMAAS",
            LastModifiedById = "005xx000001X7dMAAS",
            IsDeleted = true,
            LastViewedDate = at,
            LastReferencedDate = at,
        };

        Assert.Equal("""{"Name":"Acme","AnnualRevenue":1250000.50,"Description":"d"}""", Write(account));
    }

    [Fact]
    public void A_POCO_property_renamed_to_id_is_not_written()
    {
        var poco = new RenamedPoco { RecordId = "001xx000003DGb2AAG", Title = "Acme" };

        Assert.Equal("""{"Name":"Acme"}""", Write(poco));
    }

    [Fact]
    public void The_read_options_still_read_Id_and_system_fields_into_a_POCO()
    {
        var account = JsonSerializer.Deserialize<AccountPoco>(
            """{"attributes":{"type":"Account"},"Id":"001xx000003DGb2AAG","name":"Acme","CreatedDate":"2013-05-20T20:49:32.000+0000","IsDeleted":true}""",
            ReadOptions)!;

        Assert.Equal("001xx000003DGb2AAG", account.Id);
        Assert.Equal("Acme", account.Name);
        Assert.Equal(new DateTimeOffset(2013, 5, 20, 20, 49, 32, TimeSpan.Zero), account.CreatedDate);
        Assert.True(account.IsDeleted);
    }
}
