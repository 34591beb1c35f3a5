using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The org a mirror holds and the role tree it mirrors by default. UserRole is among the default objects because the endpoint
/// pack's visibility rule (records the user owns or that the role hierarchy grants) reads it; Salesforce publishes no change
/// events for it (it is not among the objects Change Data Capture supports), so the writer polls it. A mirror schema holds one
/// org: the writer records it, readers read it from PostgreSQL, and a writer whose login belongs to another org refuses to write.
/// </summary>
public sealed class OrgAndRolesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_objects_mirror_the_role_tree_polled_and_it_follows_new_roles_moved_users_and_deleted_roles()
    {
        Assert.Contains("UserRole", MirrorOptions.AnalyticsObjects);
        Assert.Contains("UserRole", new MirrorOptions().Objects);

        await using var harness = await MirrorHarness.StartAsync();
        var app = await harness.AppAsync(); // the default objects, change events where Salesforce has them
        var sf = MirrorHarness.Client(app);
        var mirror = app.GetRequiredService<SalesforceMirror>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "every object is loaded");
        var status = await mirror.GetStatusAsync(Ct);
        Assert.Equal(MirrorOptions.AnalyticsObjects.Order(StringComparer.Ordinal), status.Select(s => s.ObjectName).Order(StringComparer.Ordinal));
        Assert.Equal("polling", status.Single(s => s.ObjectName == "UserRole").Mode);
        Assert.Equal("change-events", status.Single(s => s.ObjectName == "User").Mode);
        Assert.Empty(await harness.DiffAsync(sf, "UserRole"));

        // A new branch of the tree, a user moved into it, and a role deleted: the poller follows them (getDeleted for the delete).
        string? top = null;
        await foreach (var role in sf.Query.QueryAsync<SObject>("SELECT Id FROM UserRole WHERE ParentRoleId = null", cancellationToken: Ct))
        {
            top = role.Id;
        }

        var manager = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Region Manager", ["ParentRoleId"] = top }, Ct);
        var rep = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Region Rep", ["ParentRoleId"] = manager }, Ct);
        var doomed = await sf.SObjects.CreateAsync("UserRole", new SObject("UserRole") { ["Name"] = "Short-lived", ["ParentRoleId"] = manager }, Ct);
        string? userId = null;
        await foreach (var user in sf.Query.QueryAsync<SObject>("SELECT Id FROM User LIMIT 1", cancellationToken: Ct))
        {
            userId = user.Id;
        }

        await sf.SObjects.UpdateAsync("User", userId!, new SObject("User") { ["UserRoleId"] = rep }, Ct);
        var source = app.GetRequiredService<ISalesDataSource>();
        await MirrorHarness.UntilAsync(
            async () =>
            {
                var people = await source.LoadAsync(SalesDataParts.Users | SalesDataParts.UserRoles, cancellationToken: Ct);
                return people.UserRoles.Any(r => r.Id == doomed) && people.UserRoles.Any(r => r.Id == rep && r.ParentRoleId == manager)
                    && people.Users.Any(u => u.Id == userId && u.UserRoleId == rep);
            },
            "the mirror holds the new roles and the moved user");

        await sf.SObjects.DeleteAsync("UserRole", doomed, Ct);
        var last = string.Empty;
        await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, "UserRole")).Length == 0, () => $"the mirror's UserRole equals the org's after the delete (last difference: {last})");
        Assert.DoesNotContain((await source.LoadAsync(SalesDataParts.UserRoles, cancellationToken: Ct)).UserRoles, r => r.Id == doomed);

        await stop.CancelAsync();
        await writer;
    }

    [Fact]
    public async Task The_writer_records_the_org_readers_read_it_without_an_API_call_and_a_login_of_another_org_is_refused()
    {
        await using var harness = await MirrorHarness.StartAsync();
        static void AccountsOnly(MirrorOptions o)
        {
            o.Objects.Clear();
            o.Objects.Add("Account");
            o.UseChangeEvents = false;
        }

        var app = await harness.AppAsync(AccountsOnly, pubSub: false);
        var mirror = app.GetRequiredService<SalesforceMirror>();
        var source = app.GetRequiredService<ISalesDataSource>();
        Assert.Null(await mirror.GetOrganizationIdAsync(Ct)); // no writer has run: the mirror cannot say
        Assert.Null(await source.GetOrganizationIdAsync(Ct));

        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var writer = mirror.RunAsync(stop.Token);
            await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "Account is loaded");
            await stop.CancelAsync();
            await writer;
        }

        Assert.Equal(MirrorHarness.OrgId, await mirror.GetOrganizationIdAsync(Ct));

        // A reader instance (another app, no writer) reads the org from PostgreSQL: no Salesforce API call.
        var reader = await harness.AppAsync(AccountsOnly, pubSub: false);
        var calls = await SalesforceRequestsAsync(harness);
        Assert.Equal(MirrorHarness.OrgId, await reader.GetRequiredService<ISalesDataSource>().GetOrganizationIdAsync(Ct));
        Assert.Equal(calls, await SalesforceRequestsAsync(harness));

        // The schema now says it holds another org (as if another org's writer had loaded it): this login's writer refuses to
        // write there, and says why; the readers keep reporting the org the schema holds.
        const string OtherOrg = "00D5g000000AbCdEAG";
        await using (var claim = harness.DataSource.CreateCommand($"UPDATE {MirrorSql.Organization(harness.Schema)} SET organization_id = $1"))
        {
            claim.Parameters.AddWithValue(OtherOrg);
            await claim.ExecuteNonQueryAsync(Ct);
        }

        var logs = new CollectingLoggerFactory();
        var refused = await harness.AppAsync(AccountsOnly, pubSub: false, register: s => s.AddSingleton<ILoggerFactory>(logs));
        var refusedMirror = refused.GetRequiredService<SalesforceMirror>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var writer = refusedMirror.RunAsync(stop.Token);
            await MirrorHarness.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("holds the org " + OtherOrg, StringComparison.Ordinal))), "the writer reports the other org");
            await stop.CancelAsync();
            await writer;
        }

        Assert.Equal(OtherOrg, await refusedMirror.GetOrganizationIdAsync(Ct));
        Assert.Equal(OtherOrg, await refused.GetRequiredService<ISalesDataSource>().GetOrganizationIdAsync(Ct));
    }

    /// <summary>Requests the org served so far, the emulator's own control routes left out.</summary>
    private static async Task<long> SalesforceRequestsAsync(MirrorHarness harness)
    {
        using var control = new HttpClient { BaseAddress = harness.Server.BaseAddress };
        var stats = await control.GetFromJsonAsync<JsonElement>("/__emulator/stats", Ct);
        return stats.GetProperty("byRoute").EnumerateObject()
            .Where(p => !p.Name.Contains("/__emulator/", StringComparison.Ordinal))
            .Sum(p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64() : 0);
    }

    /// <summary>Every log line the app wrote (message and exception).</summary>
    private sealed class CollectingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " | " + exception?.Message);
        }
    }
}
