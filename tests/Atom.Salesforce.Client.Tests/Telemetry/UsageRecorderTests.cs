using System.Collections.Concurrent;
using System.Net;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Telemetry;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Telemetry;

public sealed class UsageRecorderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_recorder_is_registered_and_counts_nothing()
    {
        await using var host = new SalesforceTestHost();
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH"))
            .Respond("application/json", """{"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH"}""");

        var recorder = host.Provider.GetRequiredService<ISalesforceUsageRecorder>();
        await host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", ["Id"], Ct);

        Assert.Equal("NullSalesforceUsageRecorder", recorder.GetType().Name);
    }

    [Fact]
    public async Task Every_call_is_recorded_once_with_its_body_sizes_and_whether_it_failed()
    {
        var recorder = new ListRecorder();
        await using var host = new SalesforceTestHost(services: s => s.Replace(ServiceDescriptor.Singleton<ISalesforceUsageRecorder>(recorder)));
        var body = """{"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH"}""";
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH")).Respond("application/json", body);
        host.Http.Expect(HttpMethod.Patch, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH")).Respond(HttpStatusCode.NoContent);
        host.Http.Expect(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmbIAH"))
            .Respond(HttpStatusCode.NotFound, "application/json", """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""");

        await host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", ["Id"], Ct);
        await host.Client.SObjects.UpdateAsync("Account", "001D000000IRFmaIAH", new SObject("Account") { ["Name"] = "Acme" }, Ct);
        await Assert.ThrowsAsync<SalesforceApiException>(() => host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmbIAH", ["Id"], Ct));

        Assert.Equal(
            [
                (SalesforceTestHost.UserId, (long)body.Length, false),
                (SalesforceTestHost.UserId, (long)"""{"Name":"Acme"}""".Length, false),
                (SalesforceTestHost.UserId, (long)"""[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""".Length, true),
            ],
            recorder.Calls);
    }

    [Fact]
    public async Task A_call_that_was_retried_and_a_create_are_each_recorded_once()
    {
        var recorder = new ListRecorder();
        await using var host = new SalesforceTestHost(
            o => o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1),
            s => s.Replace(ServiceDescriptor.Singleton<ISalesforceUsageRecorder>(recorder)));
        var record = """{"attributes":{"type":"Account"},"Id":"001D000000IRFmaIAH"}""";
        var created = """{"id":"001D000000IRFmaIAH","success":true,"errors":[]}""";
        var attempts = 0;
        host.Http.When(HttpMethod.Get, SalesforceTestHost.Api("sobjects/Account/001D000000IRFmaIAH")).Respond(_ => ++attempts < 3
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { { "Retry-After", "0" } } }
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(record, System.Text.Encoding.UTF8, "application/json") });
        host.Http.When(HttpMethod.Post, SalesforceTestHost.Api("sobjects/Account/"))
            .Respond(HttpStatusCode.Created, "application/json", created);

        await host.Client.SObjects.GetAsync<SObject>("Account", "001D000000IRFmaIAH", ["Id"], Ct);
        await host.Client.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "Acme" }, Ct);

        // Three attempts, one call: the usage counts calls whatever their retries, as the API's own count of a call does not
        // depend on how the client got its answer (the attempts Salesforce refused with 503 are not the recorder's concern).
        Assert.Equal(3, attempts);
        Assert.Equal(
            [
                (SalesforceTestHost.UserId, (long)record.Length, false),
                (SalesforceTestHost.UserId, (long)"""{"Name":"Acme"}""".Length + created.Length, false),
            ],
            recorder.Calls);
    }

    private sealed class ListRecorder : ISalesforceUsageRecorder
    {
        private readonly ConcurrentQueue<(string, long, bool)> _calls = new();

        public IReadOnlyList<(string UserId, long Bytes, bool Failed)> Calls => [.. _calls];

        public void Record(string userId, long bytesTransferred, bool failed) => _calls.Enqueue((userId, bytesTransferred, failed));
    }
}
