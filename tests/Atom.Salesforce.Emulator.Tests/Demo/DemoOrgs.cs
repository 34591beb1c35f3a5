using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Emulator.Tests.Demo;

/// <summary>Demo orgs on a fixed clock, and short ways to read their records.</summary>
internal static class DemoOrgs
{
    /// <summary>A Monday afternoon: the org's "now".</summary>
    public static readonly DateTimeOffset Clock = new(2026, 3, 2, 15, 30, 0, TimeSpan.Zero);

    public static SalesforceEmulatorOptions Options(double scale, int seed = 1) => new()
    {
        TimeProvider = new FakeTimeProvider(Clock),
        DemoData = new DemoDataOptions { Scale = scale, RandomSeed = seed },
    };

    public static SalesforceEmulator Create(double scale, int seed = 1) => new(Options(scale, seed));

    public static IReadOnlyList<StoredRecord> Records(this SalesforceEmulator emulator, string objectName) =>
        emulator.Org.Records(emulator.Org.Schema.Find(objectName)!);

    public static Dictionary<string, StoredRecord> ById(this SalesforceEmulator emulator, string objectName) =>
        emulator.Records(objectName).ToDictionary(r => r.Id, StringComparer.Ordinal);
}

/// <summary>The default demo org (scale 1), generated once for the tests that read it.</summary>
public sealed class ScaleOneDemoOrg
{
    public SalesforceEmulator Emulator { get; } = DemoOrgs.Create(1);
}
