using System.Net;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace Atom.Salesforce.Client.Tests.Resilience;

/// <summary>
/// An app's logs at the default level (Information) get no line per Salesforce call: the README promises quiet logs,
/// and a busy service makes thousands of calls a minute. A retry is worth a line; a call that simply worked is not. The
/// per-attempt line of a call that may be retried is the SDK's own (event 2006, category Atom.Salesforce.Client.Http), at Debug.
/// </summary>
public sealed class LoggingLevelTests
{
    private const string Id = "001D000000IRFmaIAH";
    private static readonly string RecordUrl = SalesforceTestHost.Api("sobjects/Account/" + Id);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SalesforceTestHost Host() =>
        new(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));

    private static HttpResponseMessage Record() =>
        new(HttpStatusCode.OK) { Content = new StringContent($$"""{"attributes":{"type":"Account"},"Id":"{{Id}}"}""", System.Text.Encoding.UTF8, "application/json") };

    private static IReadOnlyList<FakeLogRecord> Logs(SalesforceTestHost host) =>
        host.Provider.GetRequiredService<FakeLogCollector>().GetSnapshot();

    [Fact]
    public async Task Calls_that_succeed_log_nothing_at_Information()
    {
        await using var host = Host();
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => Record());

        for (var i = 0; i < 3; i++)
        {
            await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);
        }

        var logs = Logs(host);
        var attempts = logs.Where(l => l.Category == "Atom.Salesforce.Client.Http" && l.Id.Id == 2006).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.All(attempts, l => Assert.Contains("attempt 1 ended with 200", l.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Information);
    }

    [Fact]
    public async Task A_retried_call_says_so_at_Information_and_never_warns()
    {
        await using var host = Host();
        var attempts = 0;
        host.Http.When(HttpMethod.Get, RecordUrl).Respond(_ => ++attempts == 1
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { { "Retry-After", "0" } } }
            : Record());

        await host.Client.SObjects.GetAsync<SObject>("Account", Id, cancellationToken: Ct);

        var logs = Logs(host);
        Assert.Equal(2, attempts);
        var retry = Assert.Single(logs, l => l.Level == LogLevel.Information);
        Assert.Equal(2001, retry.Id.Id);
        Assert.Contains("attempt 1 ended with 503", retry.Message, StringComparison.Ordinal);
        Assert.Contains(logs, l => l.Id.Id == 2006 && l.Level == LogLevel.Debug && l.Message.Contains("attempt 2 ended with 200", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Level >= LogLevel.Warning);
    }
}
