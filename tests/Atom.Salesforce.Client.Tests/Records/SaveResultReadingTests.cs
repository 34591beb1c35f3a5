using System.Net;
using System.Text;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Records;

/// <summary>
/// Issue 22: the save result Salesforce answers a create, an upsert and a collections save with (<c>id</c>, <c>success</c>,
/// <c>errors</c> with <c>statusCode</c>, <c>message</c> and <c>fields</c>, <c>created</c>) is read by the SDK's own reader, and a
/// single-record call reads its whole body into a pooled buffer. What Salesforce may send must read as it did through
/// System.Text.Json's metadata: properties in any order and any case, properties the SDK does not know (newer API versions
/// add <c>warnings</c> and <c>infos</c>), nulls where lists are expected; and a body that is not a save result is a
/// <see cref="SalesforceException"/>, never a raw <c>JsonException</c>.
/// </summary>
public sealed class SaveResultReadingTests
{
    private const string Id = "001D000000IRFmaIAH";
    private static readonly string CreateUrl = SalesforceTestHost.Api("sobjects/Account/");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SObject Row() => new("Account") { ["Name"] = "Acme" };

    [Theory]
    [InlineData($$"""{"id":"{{Id}}","success":true,"errors":[]}""")]
    [InlineData($$"""{"success":true,"errors":[],"warnings":[{"message":"deprecated field","statusCode":"X"}],"infos":[],"id":"{{Id}}"}""")]
    [InlineData($$$"""  {"ID":"{{{Id}}}","Success":true,"Errors":null,"extra":{"nested":[1,{"a":[]}]}}  """)]
    [InlineData($$"""{"\u0069d":"{{Id}}","success":true}""")]
    public async Task A_create_answer_gives_the_new_id_whatever_Salesforce_adds_or_orders(string body)
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, CreateUrl).Respond(HttpStatusCode.Created, "application/json", body);

        Assert.Equal(Id, await host.Client.SObjects.CreateAsync("Account", Row(), Ct));
    }

    [Fact]
    public async Task A_create_answered_without_an_id_throws_Salesforces_errors_with_their_fields()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, CreateUrl).Respond(HttpStatusCode.Created, "application/json", """
            {"id":null,"success":false,"errors":[
              {"statusCode":"DUPLICATES_DETECTED","message":"Use one of these records?","fields":[]},
              {"errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","message":null,"fields":["Name","Industry"]}]}
            """);

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.CreateAsync("Account", Row(), Ct));

        Assert.Equal(2, e.Errors.Count);
        Assert.Equal("DUPLICATES_DETECTED", e.Errors[0].ErrorCode);
        Assert.Equal("Use one of these records?", e.Errors[0].Message);
        Assert.Empty(e.Errors[0].Fields);
        Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", e.Errors[1].ErrorCode);
        Assert.Equal(string.Empty, e.Errors[1].Message);
        Assert.Equal(["Name", "Industry"], e.Errors[1].Fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"id":"001D000000IRFmaIAH","success":tru""")]
    [InlineData("""{"id":"001D000000IRFmaIAH","success":true} {}""")]
    [InlineData("""{"id":42,"success":true}""")]
    [InlineData("<html>OK</html>")]
    public async Task A_create_answer_that_is_no_save_result_is_a_SalesforceException(string body)
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, CreateUrl).Respond(HttpStatusCode.Created, "application/json", body);

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.CreateAsync("Account", Row(), Ct));

        Assert.IsNotType<SalesforceApiException>(e);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task A_null_create_answer_says_the_body_was_empty()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, CreateUrl).Respond(HttpStatusCode.Created, "application/json", "null");

        var e = await Assert.ThrowsAsync<SalesforceException>(() => host.Client.SObjects.CreateAsync("Account", Row(), Ct));

        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Created, """{"id":"001D000000IRFmaIAH","success":true,"errors":[],"created":true}""", true)]
    [InlineData(HttpStatusCode.OK, """{"id":"001D000000IRFmaIAH","success":true,"errors":[],"created":false}""", false)]
    [InlineData(HttpStatusCode.Created, """{"id":"001D000000IRFmaIAH","success":true,"errors":[],"created":null}""", true)]
    [InlineData(HttpStatusCode.OK, """{"id":"001D000000IRFmaIAH","success":true,"errors":[]}""", false)]
    public async Task An_upsert_reports_created_from_the_answer_or_else_from_its_status(HttpStatusCode status, string body, bool created)
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/Ext__c/A-1")).Respond(status, "application/json", body);

        var result = await host.Client.SObjects.UpsertAsync("Account", "Ext__c", "A-1", Row(), Ct);

        Assert.Equal(Id, result.Id);
        Assert.Equal(created, result.Created);
    }

    [Fact]
    public async Task Collections_results_are_read_per_row_with_their_errors_and_an_update_keeps_the_ids_Salesforce_left_out()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/")).Respond("application/json", """
            [{"id":"001000000000001AAA","success":true,"errors":[],"warnings":[]},
             {"success":false,"id":null,"errors":[{"statusCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":null}]},
             {"ID":"001000000000003AAA","SUCCESS":true}]
            """);
        SObject[] rows =
        [
            new("Account") { Id = "001000000000001AAA", ["Name"] = "a" },
            new("Account") { Id = "001000000000002AAA", ["Name"] = "b" },
            new("Account") { Id = "001000000000003AAA", ["Name"] = "c" },
        ];

        var results = await host.Client.Composite.Collections.UpdateAsync("Account", rows, cancellationToken: Ct);

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal(["001000000000001AAA", "001000000000002AAA", "001000000000003AAA"], results.Select(r => r.Id));
        Assert.Equal([true, false, true], results.Select(r => r.Success));
        Assert.Equal(SaveRowOutcome.Refused, results[1].Outcome);
        var error = Assert.Single(results[1].Errors);
        Assert.Equal("ENTITY_IS_DELETED", error.ErrorCode);
        Assert.Empty(error.Fields);
        Assert.Empty(results[0].Errors);
    }

    [Fact]
    public async Task A_record_much_larger_than_the_first_buffer_and_sent_without_a_length_is_read_whole()
    {
        // Chunked: no Content-Length, so the body buffer starts small and grows while the body streams in small reads.
        var description = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} é€😀\n"));
        var json = $$"""{"attributes":{"type":"Account"},"Id":"{{Id}}","Name":"Acme","Description":{{System.Text.Json.JsonSerializer.Serialize(description)}}}""";
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/" + Id)).Respond(_ =>
        {
            var content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            Assert.Null(content.Headers.ContentLength);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var record = await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        Assert.Equal(description, record.Get<string>("Description"));
        Assert.Equal("Acme", record.Get<string>("Name"));
    }

    /// <summary>A body of unknown length that hands out at most 1,000 bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1000)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1000), cancellationToken);
    }
}
