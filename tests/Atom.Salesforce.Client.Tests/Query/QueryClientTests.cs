using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Query;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Atom.Salesforce.Soql;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Query;

public sealed class QueryClientTests
{
    private const string Soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'A%'";
    private const string EncodedSoql = "q=SELECT%20Id%2C%20Name%20FROM%20Account%20WHERE%20Name%20LIKE%20%27A%25%27";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Account
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
    }

    private static string Page(int from, int count, int total, string? next) =>
        $$"""
        {"totalSize":{{total}},"done":{{(next is null ? "true" : "false")}}{{(next is null ? "" : $",\"nextRecordsUrl\":\"{next}\"")}},
         "records":[{{string.Join(",", Enumerable.Range(from, count).Select(i =>
             $"{{\"attributes\":{{\"type\":\"Account\",\"url\":\"/services/data/v66.0/sobjects/Account/001000000000{i:D3}AAA\"}},\"Id\":\"001000000000{i:D3}AAA\",\"Name\":\"Account {i}\"}}"))}}]}
        """;

    [Fact]
    public async Task Query_follows_nextRecordsUrl_over_three_pages_in_order()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .WithExactQueryString(EncodedSoql)
            .Respond("application/json", Page(0, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-3"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-3"))
            .Respond("application/json", Page(3, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-6"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-6"))
            .Respond("application/json", Page(6, 1, 7, null));

        var names = new List<string?>();
        await foreach (var account in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct))
        {
            names.Add(account.Name);
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"Account {i}"), names);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_syntax_tree_is_sent_as_its_canonical_text()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .WithExactQueryString(EncodedSoql)
            .Respond("application/json", Page(0, 2, 2, null));
        var query = SoqlQuery.Parse("select Id, Name from Account where Name like 'A%'");

        var names = new List<string?>();
        await foreach (var account in host.Client.Query.QueryAsync<Account>(query, cancellationToken: Ct))
        {
            names.Add(account.Name);
        }

        Assert.Equal(["Account 0", "Account 1"], names);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_typed_builder_is_sent_as_its_soql_and_its_rows_are_read_as_its_type()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .WithExactQueryString(EncodedSoql)
            .Respond("application/json", Page(0, 1, 1, null));
        var prefix = "A";

        var rows = new List<Account>();
        await foreach (var account in host.Client.Query.QueryAsync(SoqlBuilder.From<Account>().Where(a => a.Name!.StartsWith(prefix)), cancellationToken: Ct))
        {
            rows.Add(account);
        }

        Assert.Equal("001000000000000AAA", Assert.Single(rows).Id);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_null_query_is_refused_before_any_request()
    {
        await using var host = new SalesforceTestHost();

        Assert.Throws<ArgumentNullException>(() => host.Client.Query.QueryAsync<Account>((SoqlQuery)null!, cancellationToken: Ct));
        Assert.Throws<ArgumentNullException>(() => host.Client.Query.QueryAsync((SoqlBuilder<Account>)null!, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_page_whose_connection_breaks_mid_body_is_fetched_again_from_its_locator_and_no_row_repeats()
    {
        await using var host = new SalesforceTestHost();
        var second = Page(3, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-6");
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond("application/json", Page(0, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-3"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-3"))
            .Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new BreakingContent(second, second.Length / 2, "application/json") });
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-3")).Respond("application/json", second);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-6")).Respond("application/json", Page(6, 1, 7, null));

        var names = new List<string?>();
        await foreach (var account in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct))
        {
            names.Add(account.Name);
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"Account {i}"), names);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_later_page_failing_past_the_retry_budget_gives_the_continuation_token_and_continuing_yields_the_rest()
    {
        await using var host = new SalesforceTestHost(o => o.Resilience.MaxRetryAttempts = 1);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond("application/json", Page(0, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-3"));
        for (var i = 0; i < 2; i++)
        {
            host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-3"))
                .Respond(HttpStatusCode.ServiceUnavailable, "application/json", """[{"message":"Server temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]""");
        }

        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-3")).Respond("application/json", Page(3, 3, 7, "/services/data/v66.0/query/01gRO0000016PIAYA2-6"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/01gRO0000016PIAYA2-6")).Respond("application/json", Page(6, 1, 7, null));
        var query = host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct);
        var names = new List<string?>();

        var e = await Assert.ThrowsAsync<QueryInterruptedException>(async () =>
        {
            await foreach (var account in query)
            {
                names.Add(account.Name);
            }
        });
        await foreach (var page in query.AsPages(e.ContinuationToken))
        {
            names.AddRange(page.Records.Select(r => r.Name));
        }

        Assert.Equal(("/services/data/v66.0/query/01gRO0000016PIAYA2-3", 3L), (e.ContinuationToken, e.RowsDelivered));
        Assert.False(e.IsTransient);
        Assert.Equal("SERVER_UNAVAILABLE", Assert.IsType<SalesforceApiException>(e.InnerException).ErrorCode);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"Account {i}"), names);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task A_first_page_failing_past_the_budget_stays_the_transient_error_since_nothing_was_delivered()
    {
        await using var host = new SalesforceTestHost(o => o.Resilience.MaxRetryAttempts = 0);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond(HttpStatusCode.ServiceUnavailable, "application/json", """[{"message":"Server temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}]""");

        var e = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var unused in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct))
            {
            }
        });

        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task Nothing_is_sent_until_enumeration()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        var pageable = host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct);

        Assert.NotNull(pageable);
        Assert.Equal(0, host.Http.GetMatchCount(host.Http.When("*")));
    }

    [Fact]
    public async Task AsPages_shows_each_page_with_its_continuation_token_and_resumes_from_one()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond("application/json", Page(0, 2, 4, "/services/data/v66.0/query/01gLOCATOR-2"));
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/01gLOCATOR-2"))
            .Respond("application/json", Page(2, 2, 4, null));

        var pages = new List<QueryResult<Account>>();
        await foreach (var page in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct).AsPages())
        {
            pages.Add(page);
        }

        var resumed = new List<QueryResult<Account>>();
        await foreach (var page in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct).AsPages("/services/data/v66.0/query/01gLOCATOR-2"))
        {
            resumed.Add(page);
        }

        Assert.Equal(2, pages.Count);
        Assert.Equal("/services/data/v66.0/query/01gLOCATOR-2", pages[0].NextRecordsUrl);
        Assert.Equal(4, pages[0].TotalSize);
        Assert.True(pages[1].Done);
        Assert.Equal("Account 2", Assert.Single(resumed, p => p.Done).Records[0].Name);
        Assert.Single(resumed);
    }

    [Theory]
    [InlineData("https://evil.example.com/services/data/v66.0/query/01g-2")]
    [InlineData("/services/data/v66.0/sobjects/Account/001")]
    [InlineData("/services/data/v66.0/query/01g-2?q=x")]
    [InlineData("/services/data/v66.0/query/../limits")]
    public async Task A_continuation_token_that_is_not_a_query_locator_is_refused(string token)
    {
        await using var host = new SalesforceTestHost();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        Assert.Throws<ArgumentException>(() => host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct).AsPages(token));
    }

    [Fact]
    public async Task QueryAll_stays_on_queryAll_for_later_pages_and_sends_the_batch_size()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("queryAll/"))
            .WithHeaders("Sforce-Query-Options", "batchSize=200")
            .Respond("application/json", Page(0, 1, 2, "/services/data/v66.0/query/01gALL-1"));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("queryAll/01gALL-1"))
            .WithHeaders("Sforce-Query-Options", "batchSize=200")
            .Respond("application/json", Page(1, 1, 2, null));

        var count = 0;
        await foreach (var _ in host.Client.Query.QueryAsync<SObject>(Soql, new QueryOptions { IncludeDeleted = true, BatchSize = 200 }, cancellationToken: Ct))
        {
            count++;
        }

        Assert.Equal(2, count);
        host.Http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task No_batch_size_header_is_sent_when_none_is_asked_for()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .With(r => !r.Headers.Contains("Sforce-Query-Options"))
            .Respond("application/json", Page(0, 1, 1, null));

        await foreach (var _ in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct))
        {
        }

        host.Http.VerifyNoOutstandingExpectation();
    }

    [Theory]
    [InlineData(199)]
    [InlineData(2001)]
    public async Task Batch_size_outside_200_to_2000_is_refused_before_sending(int size)
    {
        await using var host = new SalesforceTestHost();

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Client.Query.QueryAsync<Account>(Soql, new QueryOptions { BatchSize = size }, cancellationToken: Ct));
    }

    [Fact]
    public async Task Cancellation_between_pages_stops_paging_with_OperationCanceledException()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond("application/json", Page(0, 2, 4, "/services/data/v66.0/query/01gCANCEL-2"));
        var second = host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/01gCANCEL-2"))
            .Respond("application/json", Page(2, 2, 4, null));
        using var cts = new CancellationTokenSource();

        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: cts.Token))
            {
                if (++seen == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(2, seen);
        Assert.Equal(0, host.Http.GetMatchCount(second));
    }

    [Fact]
    public async Task Cancellation_while_a_page_is_in_flight_is_honoured()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond(async () =>
            {
                await Task.Delay(Timeout.Infinite, TestContext.Current.CancellationToken);
                return new HttpResponseMessage(HttpStatusCode.OK);
            });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: CancellationToken.None).WithCancellation(cts.Token))
            {
            }
        });
    }

    [Fact]
    public async Task A_malformed_query_maps_to_SalesforceApiException()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("query/"))
            .Respond(HttpStatusCode.BadRequest, "application/json", Fixtures.Read("errors/400_query_invalid_field.restforce.json"));

        var e = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var _ in host.Client.Query.QueryAsync<Account>(Soql, cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.False(string.IsNullOrEmpty(e.ErrorCode));
    }

    [Fact]
    public async Task Search_reads_searchRecords_of_several_types()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("search/"))
            .WithExactQueryString("q=FIND%20%7BAcme%7D%20RETURNING%20Account%28Name%29%2C%20Contact%28Name%29")
            .Respond("application/json", """
                {"searchRecords":[
                  {"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001D000000IqhSLIAZ"},"Id":"001D000000IqhSLIAZ","Name":"Acme"},
                  {"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/003D000000IqhSLIAZ"},"Id":"003D000000IqhSLIAZ","Name":"Ann Acme"}]}
                """);

        var found = await host.Client.Query.SearchAsync<SObject>("FIND {Acme} RETURNING Account(Name), Contact(Name)", Ct);

        Assert.Equal(["Account", "Contact"], found.Select(r => r.Type));
        Assert.Equal("Ann Acme", found[1]["Name"]);
    }

    [Fact]
    public async Task Statements_that_are_empty_or_too_long_are_refused_before_sending()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Fallback.Throw(new InvalidOperationException("nothing may be sent"));

        Assert.Throws<ArgumentException>(() => host.Client.Query.QueryAsync<Account>(" ", cancellationToken: Ct));
        Assert.Throws<ArgumentNullException>(() => host.Client.Query.QueryAsync<Account>((string)null!, cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => host.Client.Query.QueryAsync<Account>("SELECT Id FROM Account WHERE Name = '" + new string('x', 100_000) + "'", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.Query.SearchAsync<SObject>("", Ct));
    }

    [Fact]
    public async Task FromPages_gives_mocks_the_same_paging_view()
    {
        var pageable = SalesforcePageable<string>.FromPages(
        [
            new QueryResult<string> { TotalSize = 3, NextRecordsUrl = "/services/data/v66.0/query/01g-2", Records = ["a", "b"] },
            new QueryResult<string> { TotalSize = 3, Done = true, Records = ["c"] },
        ]);

        var all = new List<string>();
        await foreach (var item in pageable.WithCancellation(Ct))
        {
            all.Add(item);
        }

        var resumed = new List<QueryResult<string>>();
        await foreach (var page in pageable.AsPages("/services/data/v66.0/query/01g-2").WithCancellation(Ct))
        {
            resumed.Add(page);
        }

        Assert.Equal(["a", "b", "c"], all);
        Assert.Equal(["c"], Assert.Single(resumed).Records);
    }
}
