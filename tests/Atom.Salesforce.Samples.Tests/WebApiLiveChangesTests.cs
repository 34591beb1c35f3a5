using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Samples.WebApi;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web API sample prints live changes: every change the org makes reaches the sample's change event handler through
/// the Pub/Sub API (the emulator's, on loopback) and is logged with its change type, object, record ids and changed fields.
/// </summary>
public sealed class WebApiLiveChangesTests(WebApplicationFactory<WebApiSample> factory) : IClassFixture<WebApplicationFactory<WebApiSample>>
{
    private const string Category = "Atom.Salesforce.Samples.WebApi.LiveChangeLogger";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_record_created_and_updated_through_the_API_is_printed_as_a_live_CREATE_then_UPDATE_with_its_changed_fields()
    {
        using var app = factory.WithWebHostBuilder(web => web.ConfigureServices(s => s.AddLogging(b => b.AddFakeLogging())));
        using var http = app.CreateClient();
        var collector = app.Services.GetRequiredService<FakeLogCollector>();

        // The subscription starts at the newest event once the app is up: a change made before it is in place is not
        // printed, so accounts are created until one is (the first, unless the machine is slow).
        var id = string.Empty;
        FakeLogRecord? created = null;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        for (var n = 1; created is null; n++)
        {
            Assert.True(DateTime.UtcNow < deadline, "No change was printed within a minute.");
            id = (await PostAsync(http, "accounts/create", new { account_data = new { Name = $"Live change {n}" } })).GetProperty("id").GetString()!;
            created = await PrintedAsync(collector, id, TimeSpan.FromSeconds(5));
        }

        await PostAsync(http, "accounts/update", new { account_id = id, account_data = new { Industry = "Banking" } });
        var updated = await PrintedAsync(collector, id, TimeSpan.FromMinutes(1), after: created);

        Assert.Equal(LogLevel.Information, created.Level);
        Assert.StartsWith($"Live change: CREATE Account [{id}]", created.Message, StringComparison.Ordinal);
        Assert.NotNull(updated);
        Assert.StartsWith($"Live change: UPDATE Account [{id}] changed fields [", updated.Message, StringComparison.Ordinal);
        Assert.Contains("Industry", updated.Message, StringComparison.Ordinal);
    }

    /// <summary>The first line the handler logged about the record (after <paramref name="after"/>), or null when none came in time.</summary>
    private static async Task<FakeLogRecord?> PrintedAsync(FakeLogCollector collector, string id, TimeSpan within, FakeLogRecord? after = null)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            var lines = collector.GetSnapshot().Where(l => l.Category == Category && l.Message.Contains(id, StringComparison.Ordinal)).ToList();
            var found = after is null ? lines.FirstOrDefault() : lines.SkipWhile(l => !ReferenceEquals(l, after)).Skip(1).FirstOrDefault();
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50, Ct);
        }

        return null;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string route, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/salesforce/enhanced/" + route, body, Ct);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        Assert.True(response.StatusCode == HttpStatusCode.OK && root.GetProperty("ok").GetBoolean(), $"{route}: {(int)response.StatusCode} {root}");
        return root.GetProperty("data");
    }
}
