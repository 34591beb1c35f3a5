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

    private sealed class ListRecorder : ISalesforceUsageRecorder
    {
        private readonly ConcurrentQueue<(string, long, bool)> _calls = new();

        public IReadOnlyList<(string UserId, long Bytes, bool Failed)> Calls => [.. _calls];

        public void Record(string userId, long bytesTransferred, bool failed) => _calls.Enqueue((userId, bytesTransferred, failed));
    }
}
