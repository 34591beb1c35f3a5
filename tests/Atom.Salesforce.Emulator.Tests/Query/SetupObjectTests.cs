using System.Text.Json;
using Atom.Salesforce.Emulator.Tests.Infrastructure;

namespace Atom.Salesforce.Emulator.Tests.Query;

/// <summary>The setup objects tools read before their commands: Organization, Profile, UserRole, RecordType, Group.</summary>
public sealed class SetupObjectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Query(EmulatedOrg org, string soql)
    {
        using var body = JsonDocument.Parse(await org.Http.GetStringAsync(new Uri("/services/data/v66.0/query?q=" + Uri.EscapeDataString(soql), UriKind.Relative), Ct));
        return body.RootElement.GetProperty("records").Clone();
    }

    [Fact]
    public async Task Organization_is_one_row_whose_id_is_the_orgs_id()
    {
        // Object Reference, Organization: one record; its Id is the 00D org id that identity URLs and tokens carry.
        await using var org = new EmulatedOrg();

        var rows = await Query(org, "SELECT Id, Name, OrganizationType, IsSandbox, InstanceName, NamespacePrefix, DefaultLocaleSidKey, LanguageLocaleKey, TimeZoneSidKey, TrialExpirationDate FROM Organization");

        var row = Assert.Single(rows.EnumerateArray());
        Assert.StartsWith("00D", row.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Equal(18, row.GetProperty("Id").GetString()!.Length);
        Assert.Equal(("Developer Edition", false, "en_US"), (row.GetProperty("OrganizationType").GetString(), row.GetProperty("IsSandbox").GetBoolean(), row.GetProperty("DefaultLocaleSidKey").GetString()));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("NamespacePrefix").ValueKind);
        Assert.False(string.IsNullOrEmpty(row.GetProperty("InstanceName").GetString()));
    }

    [Fact]
    public async Task The_admin_user_has_the_System_Administrator_profile_and_the_org_has_roles_and_groups()
    {
        await using var org = new EmulatedOrg();

        var admin = Assert.Single((await Query(org, "SELECT Id, Profile.Name, UserRoleId FROM User WHERE Username = 'admin@emulator.atom'")).EnumerateArray());
        var profiles = await Query(org, "SELECT Id, Name FROM Profile ORDER BY Name");
        var roles = await Query(org, "SELECT Id, Name, ParentRoleId FROM UserRole");
        var groups = await Query(org, "SELECT Id, Type, RelatedId FROM Group WHERE Type = 'Organization'");
        var recordTypes = await Query(org, "SELECT Id FROM RecordType");

        Assert.Equal("System Administrator", admin.GetProperty("Profile").GetProperty("Name").GetString());
        Assert.Contains(profiles.EnumerateArray(), p => p.GetProperty("Name").GetString() == "Standard User");
        Assert.All(profiles.EnumerateArray(), p => Assert.StartsWith("00e", p.GetProperty("Id").GetString(), StringComparison.Ordinal));
        Assert.All(roles.EnumerateArray(), r => Assert.StartsWith("00E", r.GetProperty("Id").GetString(), StringComparison.Ordinal));
        Assert.Contains(roles.EnumerateArray(), r => r.GetProperty("ParentRoleId").ValueKind == JsonValueKind.String);
        Assert.StartsWith("00G", Assert.Single(groups.EnumerateArray()).GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Empty(recordTypes.EnumerateArray());
    }
}
