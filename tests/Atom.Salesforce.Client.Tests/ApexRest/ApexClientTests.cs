using System.Collections.Concurrent;
using System.Net;
using Atom.Salesforce.Client.ApexRest;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Telemetry;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.ApexRest;

/// <summary>The wire shape of Apex REST calls and raw requests: method, URL, headers and body.</summary>
public sealed class ApexClientTests
{
    private const string Instance = SalesforceTestHost.Instance;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Order
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public DateOnly? Due { get; set; }
    }

    [Fact]
    public async Task A_post_goes_to_apexrest_on_the_instance_with_the_token_escaped_query_headers_and_every_property()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Post, $"{Instance}/services/apexrest/acme/Orders")
            .WithExactQueryString("mode=a%20b%26c")
            .WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .WithHeaders("Content-Type", "application/json; charset=utf-8")
            .WithHeaders("X-Tenant", "t1")
            .WithContent("""{"Id":null,"Name":"Widgets","Due":"2026-12-24"}""")
            .Respond("application/json", """{"id":"a01xx0000000001","name":"Widgets","due":"2026-12-24"}""");

        var options = new ApexRequestOptions { Query = { ["mode"] = "a b&c" }, Headers = { ["X-Tenant"] = "t1" } };
        var created = await host.Client.Apex.PostAsync<Order, Order>(
            "/acme/Orders", new Order { Name = "Widgets", Due = new DateOnly(2026, 12, 24) }, options, Ct);

        host.Http.VerifyNoOutstandingExpectation();
        Assert.Equal(("a01xx0000000001", "Widgets", new DateOnly(2026, 12, 24)), (created!.Id, created.Name, created.Due));
    }

    [Fact]
    public async Task A_get_is_retried_on_503_a_post_is_not()
    {
        await using var host = new SalesforceTestHost();
        var gets = 0;
        host.Http.When(HttpMethod.Get, $"{Instance}/services/apexrest/Orders/1").Respond(_ => ++gets == 1
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""[{"message":"down","errorCode":"SERVER_UNAVAILABLE"}]""") }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"Id":"1"}""") });
        var posts = 0;
        host.Http.When(HttpMethod.Post, $"{Instance}/services/apexrest/Orders").Respond(_ =>
        {
            posts++;
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""[{"message":"down","errorCode":"SERVER_UNAVAILABLE"}]""") };
        });

        var order = await host.Client.Apex.GetAsync<Order>("Orders/1", cancellationToken: Ct);
        var refused = await Assert.ThrowsAsync<SalesforceApiException>(
            () => host.Client.Apex.PostAsync<Order, Order>("Orders", new Order(), cancellationToken: Ct));

        Assert.Equal(("1", 2), (order!.Id, gets));
        Assert.Equal((1, HttpStatusCode.ServiceUnavailable, true), (posts, refused.Status, refused.IsTransient));
    }

    [Fact]
    public async Task A_raw_relative_path_is_on_the_clients_api_version_and_a_leading_slash_is_the_instance_root()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("limits/"))
            .WithHeaders("Authorization", "Bearer " + SalesforceTestHost.AccessToken)
            .Respond("application/json", "{}");
        host.Http.Expect(HttpMethod.Get, $"{Instance}/services/data/").Respond("application/json", "[]");

        using var limits = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("limits/", UriKind.Relative)), Ct);
        using var versions = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/services/data/", UriKind.Relative)), Ct);

        host.Http.VerifyNoOutstandingExpectation();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (limits.StatusCode, versions.StatusCode));
    }

    [Fact]
    public async Task A_raw_absolute_url_on_an_instance_with_a_path_base_keeps_one_path_base_and_another_instance_is_refused()
    {
        await using var host = new SalesforceTestHost();
        await host.Tokens.SaveAsync(SalesforceTestHost.UserId, new SalesforceToken(
            SalesforceTestHost.AccessToken, new Uri($"{Instance}/base"), DateTimeOffset.UnixEpoch), Ct);
        host.Http.Expect(HttpMethod.Get, $"{Instance}/base/services/data/v66.0/limits/").Respond("application/json", "{}");

        using var ok = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri($"{Instance}/base/services/data/v66.0/limits/")), Ct);
        var otherOrg = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri("https://other.my.salesforce.com/base/services/data/v66.0/limits/")), Ct));
        var outsideBase = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri($"{Instance}/services/data/v66.0/limits/")), Ct));
        var notSalesforce = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri("https://example.com/services/data/v66.0/limits/")), Ct));

        host.Http.VerifyNoOutstandingExpectation();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.All([otherOrg, outsideBase, notSalesforce], e => Assert.Equal("request", e.ParamName));
        Assert.DoesNotContain(SalesforceTestHost.AccessToken, otherOrg.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_and_Apex_calls_are_counted_once_each_and_a_refused_url_not_at_all()
    {
        var recorder = new ListRecorder();
        await using var host = new SalesforceTestHost(services: s => s.Replace(ServiceDescriptor.Singleton<ISalesforceUsageRecorder>(recorder)));
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("limits/")).Respond("application/json", "{}");
        host.Http.Expect(HttpMethod.Delete, $"{Instance}/services/apexrest/Orders/1").Respond(HttpStatusCode.OK);

        using var limits = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("limits/", UriKind.Relative)), Ct);
        await host.Client.Apex.DeleteAsync<object>("Orders/1", cancellationToken: Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, new Uri("https://other.my.salesforce.com/services/data/v66.0/limits/")), Ct));

        Assert.Equal([(SalesforceTestHost.UserId, 2L, false), (SalesforceTestHost.UserId, 0L, false)], recorder.Calls);
    }

    [Fact]
    public async Task A_304_is_returned_to_the_caller_of_a_raw_request_not_raised()
    {
        await using var host = new SalesforceTestHost();
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/")).Respond(HttpStatusCode.NotModified);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("sobjects/", UriKind.Relative));
        request.Headers.IfModifiedSince = DateTimeOffset.UtcNow;

        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example.com/x")]
    [InlineData("//evil.example.com/x")]
    [InlineData("Orders#frag")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_apex_path_that_is_not_relative_to_apexrest_is_refused_before_any_IO(string path)
    {
        await using var host = new SalesforceTestHost();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => host.Client.Apex.GetAsync<Order>(path, cancellationToken: Ct));

        host.Http.VerifyNoOutstandingRequest();
    }

    private sealed class ListRecorder : ISalesforceUsageRecorder
    {
        private readonly ConcurrentQueue<(string, long, bool)> _calls = new();

        public IReadOnlyList<(string UserId, long Bytes, bool Failed)> Calls => [.. _calls];

        public void Record(string userId, long bytesTransferred, bool failed) => _calls.Enqueue((userId, bytesTransferred, failed));
    }
}
