using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Emulator;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// A Pub/Sub API client in another language, unchanged: tests/clients/pubsub-node subscribes the way Salesforce's Node.js
/// quick start does (@grpc/grpc-js over TLS with call credentials, @grpc/proto-loader, avro-js) to the emulator's Pub/Sub
/// API, served over TLS with its self-signed certificate trusted through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH.
/// </summary>
public sealed class PubSubNodeClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_subscriber_receives_and_decodes_the_change_events_of_a_REST_create_and_update()
    {
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { PubSubUrl = "https://127.0.0.1:0" });
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var certificate = Path.Combine(Path.GetTempPath(), $"atom-pubsub-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, server.PubSubCertificatePem, Ct);
        try
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Bearer", SalesforceEmulatorOptions.DefaultAccessToken);
            using var created = await http.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = "Node Co", BillingCity = "Oslo" }, Ct);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
            using var updated = await http.PatchAsJsonAsync($"services/data/v62.0/sobjects/Account/{id}", new { Industry = "Energy", BillingCity = "Bergen" }, Ct);
            Assert.True(updated.IsSuccessStatusCode);

            var events = await RunAsync("subscribe.mjs", server.PubSubAddress!, server.BaseAddress, certificate, "/data/AccountChangeEvent", 2);

            Assert.Equal(["CREATE", "UPDATE"], events.Select(e => e.GetProperty("changeType").GetString()));
            Assert.All(events, e => Assert.Equal([id], e.GetProperty("recordIds").EnumerateArray().Select(r => r.GetString())));
            Assert.Equal("Node Co", events[0].GetProperty("fields").GetProperty("Name").GetString());
            Assert.Equal("Oslo", events[0].GetProperty("fields").GetProperty("BillingAddress").GetProperty("City").GetString());
            Assert.Empty(events[0].GetProperty("changedFields").EnumerateArray());
            Assert.Equal(
                ["BillingAddress.City", "Industry", "LastModifiedDate"],
                events[1].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()).Order());
            Assert.Equal("Energy", events[1].GetProperty("fields").GetProperty("Industry").GetString());
            Assert.False(events[1].GetProperty("fields").TryGetProperty("Name", out _));
            Assert.True(long.Parse(events[1].GetProperty("replayId").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                > long.Parse(events[0].GetProperty("replayId").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Fact]
    public async Task A_node_managed_subscriber_commits_on_the_server_and_resumes_after_its_commit_in_a_new_process()
    {
        var options = new SalesforceEmulatorOptions { PubSubUrl = "https://127.0.0.1:0" };
        options.ManagedEventSubscriptions.Add(new Atom.Salesforce.Emulator.PubSub.ManagedEventSubscriptionDefinition
        {
            DeveloperName = "Node_Accounts",
            TopicName = "/data/AccountChangeEvent",
            DefaultReplay = "EARLIEST",
        });
        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var certificate = Path.Combine(Path.GetTempPath(), $"atom-pubsub-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, server.PubSubCertificatePem, Ct);
        try
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Bearer", SalesforceEmulatorOptions.DefaultAccessToken);
            var first = await CreateAsync(http, "Managed One");
            var second = await CreateAsync(http, "Managed Two");

            var run1 = await RunAsync("managed.mjs", server.PubSubAddress!, server.BaseAddress, certificate, "Node_Accounts", 2);
            var third = await CreateAsync(http, "Managed Three");
            var run2 = await RunAsync("managed.mjs", server.PubSubAddress!, server.BaseAddress, certificate, "Node_Accounts", 1);

            Assert.Equal([first, second], run1.Where(e => e.TryGetProperty("recordIds", out _)).Select(e => e.GetProperty("recordIds")[0].GetString()));
            var commit1 = run1.Single(e => e.TryGetProperty("committed", out _));
            Assert.Equal(JsonValueKind.Null, commit1.GetProperty("error").ValueKind);
            Assert.Equal(run1[1].GetProperty("replayId").GetString(), commit1.GetProperty("committed").GetString());

            // A new process, the same managed subscription: it starts after what the first one committed, not at EARLIEST.
            var events2 = run2.Where(e => e.TryGetProperty("recordIds", out _)).ToList();
            Assert.Equal([third], events2.Select(e => e.GetProperty("recordIds")[0].GetString()));
            Assert.Equal("Managed Three", events2[0].GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Null, run2.Single(e => e.TryGetProperty("committed", out _)).GetProperty("error").ValueKind);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    private static async Task<string> CreateAsync(HttpClient http, string name)
    {
        using var created = await http.PostAsJsonAsync("services/data/v62.0/sobjects/Account", new { Name = name }, Ct);
        Assert.True(created.IsSuccessStatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    /// <summary>Runs a client script (subscribe.mjs with a topic, managed.mjs with a developer name) until it has printed <paramref name="count"/> events, and returns its lines.</summary>
    private static async Task<List<JsonElement>> RunAsync(string script, Uri pubSub, Uri instance, string certificate, string topic, int count)
    {
        var directory = ClientChecks.Find("pubsub-node");
        var proto = Path.GetFullPath(Path.Combine(directory, "..", "..", "..", "src", "Protos", "pubsub_api.proto"));
        var start = new ProcessStartInfo(
            "node",
            [script, proto, pubSub.Authority, instance.GetLeftPart(UriPartial.Authority), SalesforceEmulatorOptions.DefaultAccessToken, "00DHs0000000001MAA", topic, count.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = certificate;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{script} failed: {await errors}");
        return [.. (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }
}
