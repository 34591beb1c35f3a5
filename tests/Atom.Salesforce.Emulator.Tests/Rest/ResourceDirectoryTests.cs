using System.Net;
using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Rest;

/// <summary>The resources directory and the sObject sub-resources clients probe.</summary>
public sealed class ResourceDirectoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_resource_the_directory_names_answers()
    {
        await using var org = new EmulatedOrg();

        using var directory = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0", UriKind.Relative), Ct));
        var resources = directory.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        Assert.Contains("sobjects", resources.Keys);
        Assert.Contains("query", resources.Keys);
        foreach (var (name, url) in resources)
        {
            var path = Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : url;

            // query, queryAll and search need their parameter: Salesforce answers 400 without it, never 404.
            using var response = await org.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.True(response.StatusCode != HttpStatusCode.NotFound, $"{name} ({url}) answered 404");
        }
    }

    [Fact]
    public async Task List_views_quick_actions_and_layouts_answer_in_Salesforces_shape_not_as_external_id_lookups()
    {
        await using var org = new EmulatedOrg();

        using var listViews = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/sobjects/Account/listviews", UriKind.Relative), Ct));
        using var actions = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/sobjects/Account/quickActions", UriKind.Relative), Ct));
        using var layouts = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/sobjects/Account/describe/layouts", UriKind.Relative), Ct));
        using var other = await org.Http.GetAsync(new Uri("/services/data/v66.0/sobjects/Account/describe/namedLayouts", UriKind.Relative), Ct);
        var otherBody = await other.Content.ReadAsStringAsync(Ct);

        // RESTMD resources_listviews: {done, listviews, nextRecordsUrl, size, sobjectType}; sObject Quick Actions: an
        // array; Describe Layouts: {layouts, recordTypeMappings, ...}.
        Assert.Equal(("Account", true, JsonValueKind.Array), (listViews.RootElement.GetProperty("sobjectType").GetString(), listViews.RootElement.GetProperty("done").GetBoolean(), listViews.RootElement.GetProperty("listviews").ValueKind));
        Assert.Equal(JsonValueKind.Array, actions.RootElement.ValueKind);
        Assert.Equal(JsonValueKind.Array, layouts.RootElement.GetProperty("layouts").ValueKind);

        // A describe part the emulator does not serve is Salesforce's 404 for a resource it lacks.
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("NOT_FOUND", otherBody, StringComparison.Ordinal);
        Assert.DoesNotContain("external ID", otherBody, StringComparison.OrdinalIgnoreCase);
    }
}
