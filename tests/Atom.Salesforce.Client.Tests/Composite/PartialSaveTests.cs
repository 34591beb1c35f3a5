using System.Globalization;
using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Composite;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Composite;

/// <summary>How a collections save of several requests reports a request that failed: per row, in input order.</summary>
public sealed class PartialSaveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<SObject> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => new SObject("Account") { ["Name"] = i.ToString(CultureInfo.InvariantCulture) }).ToList();

    /// <summary>The first record's name in a collections body: which chunk a request carries.</summary>
    private static async Task<(int First, int Count)> ChunkOf(HttpRequestMessage request)
    {
        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(Ct));
        var records = body.RootElement.GetProperty("records");
        return (int.Parse(records[0].GetProperty("Name").GetString()!, CultureInfo.InvariantCulture), records.GetArrayLength());
    }

    private static int FirstOf(HttpRequestMessage request)
    {
        using var body = JsonDocument.Parse(request.Content!.ReadAsStringAsync(Ct).GetAwaiter().GetResult());
        return int.Parse(body.RootElement.GetProperty("records")[0].GetProperty("Name").GetString()!, CultureInfo.InvariantCulture);
    }

    private static HttpResponseMessage Saved(int first, int count) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            "[" + string.Join(',', Enumerable.Range(first, count).Select(i => $$"""{"id":"001{{i.ToString(CultureInfo.InvariantCulture).PadLeft(15, '0')}}","success":true,"errors":[]}""")) + "]",
            System.Text.Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Error(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent($$"""[{"message":"failed","errorCode":"{{code}}"}]""", System.Text.Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task A_gateway_timeout_leaves_its_rows_unknown_and_the_rows_after_it_not_sent()
    {
        await using var host = new SalesforceTestHost();
        var calls = 0;
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(async request =>
        {
            Interlocked.Increment(ref calls);
            var (first, count) = await ChunkOf(request);
            return first == 200 ? Error(HttpStatusCode.GatewayTimeout, "GATEWAY_TIMEOUT") : Saved(first, count);
        });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            host.Client.Composite.Collections.CreateAsync("Account", Rows(450), new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));

        Assert.False(error.IsTransient);
        Assert.Equal(2, calls);
        Assert.Equal(Enumerable.Range(0, 450), error.Results.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 200), error.SavedRows.Select(r => r.Index));
        Assert.All(error.SavedRows, r => Assert.Equal("001" + r.Index.ToString(CultureInfo.InvariantCulture).PadLeft(15, '0'), r.Id));
        Assert.Equal(Enumerable.Range(200, 200), error.UnknownRows.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(400, 50), error.NotSentRows.Select(r => r.Index));
        Assert.Empty(error.RefusedRows);
        Assert.All(error.UnknownRows.Concat(error.NotSentRows), r => Assert.Equal((false, null), (r.Success, r.Id)));
        Assert.Equal(HttpStatusCode.GatewayTimeout, Assert.IsType<SalesforceApiException>(error.InnerException).Status);
        Assert.Contains("200 saved, 0 refused, 50 not sent, 200 unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_refused_as_a_whole_after_another_was_saved_reports_its_rows_refused_with_the_error()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(async request =>
        {
            var (first, count) = await ChunkOf(request);
            return first == 200 ? Error(HttpStatusCode.BadRequest, SalesforceError.Codes.UnableToLockRow) : Saved(first, count);
        });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            host.Client.Composite.Collections.CreateAsync("Account", Rows(450), new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));

        Assert.Equal(Enumerable.Range(200, 200), error.RefusedRows.Select(r => r.Index));
        Assert.All(error.RefusedRows, r => Assert.Equal(SalesforceError.Codes.UnableToLockRow, Assert.Single(r.Errors).ErrorCode));
        Assert.Equal((200, 50, 0), (error.SavedRows.Count, error.NotSentRows.Count, error.UnknownRows.Count));
        // The lock error itself is transient; the partial save is not, as repeating it would write the saved rows twice.
        Assert.True(Assert.IsType<SalesforceApiException>(error.InnerException).IsTransient);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_leaves_its_rows_not_sent()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).With(request => FirstOf(request) == 200)
            .Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(async request =>
        {
            var (first, count) = await ChunkOf(request);
            return Saved(first, count);
        });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            host.Client.Composite.Collections.CreateAsync("Account", Rows(450), new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));

        Assert.Equal(Enumerable.Range(200, 250), error.NotSentRows.Select(r => r.Index));
        Assert.Empty(error.UnknownRows);
        Assert.True(Assert.IsType<SalesforceException>(error.InnerException).IsTransient);
    }

    [Fact]
    public async Task A_connection_lost_after_the_request_left_leaves_its_rows_unknown()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/Account/Ext_Id__c/")).With(request => FirstOf(request) == 0)
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        host.Http.When(HttpMethod.Patch, SalesforceTestHost.Api("composite/sobjects/Account/Ext_Id__c/")).Respond(async request =>
        {
            var (first, count) = await ChunkOf(request);
            return Saved(first, count);
        });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            host.Client.Composite.Collections.UpsertAsync("Account", "Ext_Id__c", Rows(450), new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));

        // The very first request: it may have been written, so not the original transient exception.
        Assert.Equal(Enumerable.Range(0, 200), error.UnknownRows.Select(r => r.Index));
        Assert.Equal(250, error.NotSentRows.Count);
    }

    [Fact]
    public async Task A_success_whose_body_cannot_be_read_leaves_its_rows_unknown()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/"))
            .Respond("application/json", """[{"id":"001000000000001AAA","success":true,"errors":[]}]""");

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() => host.Client.Composite.Collections.CreateAsync("Account", Rows(3), cancellationToken: Ct));

        Assert.Equal(3, error.UnknownRows.Count);
        Assert.Contains("1 results for 3 records", error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_before_anything_could_be_written_throws_the_original_exception_and_sends_nothing_more()
    {
        await using var host = new SalesforceTestHost();
        var calls = 0;
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(_ =>
        {
            Interlocked.Increment(ref calls);
            return Error(HttpStatusCode.ServiceUnavailable, SalesforceError.Codes.ServerUnavailable);
        });

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() =>
            host.Client.Composite.Collections.CreateAsync("Account", Rows(1000), new CollectionOptions { MaxConcurrency = 1 }, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.True(error.IsTransient);
        // A POST is never retried by the SDK, and no further request starts after the failure.
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Requests_in_flight_finish_when_another_fails_and_are_reported_saved()
    {
        await using var host = new SalesforceTestHost();
        var arrived = 0;
        var allInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("composite/sobjects/")).Respond(async request =>
        {
            var (first, count) = await ChunkOf(request);
            if (Interlocked.Increment(ref arrived) == 3)
            {
                allInFlight.SetResult();
            }

            // Answer nothing until all three requests are in flight, so that the failure meets two requests under way.
            await allInFlight.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            if (first == 0)
            {
                return Error(HttpStatusCode.ServiceUnavailable, SalesforceError.Codes.ServerUnavailable);
            }

            await Task.Delay(100, Ct);
            return Saved(first, count);
        });

        var error = await Assert.ThrowsAsync<SalesforcePartialSaveException>(() =>
            host.Client.Composite.Collections.CreateAsync("Account", Rows(600), new CollectionOptions { MaxConcurrency = 3 }, cancellationToken: Ct));

        Assert.Equal(Enumerable.Range(0, 200), error.RefusedRows.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(200, 400), error.SavedRows.Select(r => r.Index));
        Assert.Empty(error.NotSentRows);
    }

    [Fact]
    public async Task Results_of_a_save_that_was_answered_are_saved_or_refused()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Delete, SalesforceTestHost.Api("composite/sobjects/"))
            .Respond("application/json", """[{"id":"001000000000001AAA","success":true,"errors":[]},{"success":false,"errors":[{"statusCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":[]}]}]""");

        var results = await host.Client.Composite.Collections.DeleteAsync(["001000000000001AAA", "001000000000002AAA"], cancellationToken: Ct);

        Assert.Equal([SaveRowOutcome.Saved, SaveRowOutcome.Refused], results.Select(r => r.Outcome));
    }

    [Fact]
    public void The_exception_sorts_rows_by_outcome_and_is_never_transient()
    {
        SaveResult[] results =
        [
            new() { Index = 0, Id = "001000000000001AAA", Success = true, Created = true },
            new()
            {
                Index = 1,
                Success = false,
                Errors = [new SalesforceError { ErrorCode = "REQUIRED_FIELD_MISSING", Message = "Name", Fields = ["Name"] }],
            },
            new() { Index = 2, Success = false, Outcome = SaveRowOutcome.Unknown },
            new() { Index = 3, Success = false, Outcome = SaveRowOutcome.NotSent },
        ];

        var error = new SalesforcePartialSaveException(results, new SalesforceException("boom", null, isTransient: true));

        Assert.Equal([0, 1, 2, 3], new[] { error.SavedRows, error.RefusedRows, error.UnknownRows, error.NotSentRows }.Select(rows => Assert.Single(rows).Index));
        Assert.False(error.IsTransient);
        Assert.EndsWith("Cause: boom", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new SalesforcePartialSaveException(null!, null));
    }
}
