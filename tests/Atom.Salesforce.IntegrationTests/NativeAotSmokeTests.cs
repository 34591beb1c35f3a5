using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Schema;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// Issue 17's NativeAOT check: tests/aot/Atom.Salesforce.AotSmoke (a console app over the core and Streaming packages)
/// publishes with NativeAOT without a single trimming or AOT warning, and the native binary queries, gets, creates, upserts,
/// runs Bulk API 2.0 jobs and receives a Change Data Capture event over the Pub/Sub API (gRPC, Avro) from the emulator on real
/// loopback sockets.
/// </summary>
public sealed partial class NativeAotSmokeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("atom-aot-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_NativeAOT_app_publishes_without_trimming_or_AOT_warnings_and_runs_against_the_emulator()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64,
            "The NativeAOT check publishes for linux-x64 (clang or gcc and zlib, which ./build.sh installs).");
        var project = Path.Combine(RepositoryRoot, "tests", "aot", "Atom.Salesforce.AotSmoke", "Atom.Salesforce.AotSmoke.csproj");
        var output = Path.Combine(_directory, "publish");

        // Its own artifacts folder: the publish must not write over the binaries this test run has loaded. Warnings are
        // errors (Directory.Build.props); every IL2xxx/IL3xxx warning is listed on its own (TrimmerSingleWarn=false).
        var (exitCode, log) = await ChildProcess.RunAsync(DotnetHost,
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "--artifacts-path", Path.Combine(_directory, "artifacts"),
             "-p:TreatWarningsAsErrors=true", "-nologo", "-clp:NoSummary"],
            RepositoryRoot, TimeSpan.FromMinutes(20), Ct);

        var trimmingWarnings = TrimmingDiagnostic().Matches(log).Select(m => m.Value).Distinct().ToList();
        Assert.True(exitCode == 0, $"dotnet publish failed ({exitCode}):\n{log}");
        Assert.Empty(trimmingWarnings);
        Assert.Contains("Generating native code", log, StringComparison.Ordinal);
        var binary = Path.Combine(output, "Atom.Salesforce.AotSmoke");
        Assert.True(File.Exists(binary), $"no native binary at {binary}");
        // A native executable, not a managed app host: no managed entry assembly beside it.
        Assert.False(File.Exists(Path.Combine(output, "Atom.Salesforce.AotSmoke.dll")));

        var options = new SalesforceEmulatorOptions();
        options.CustomFields["Account"] = [new FieldDefinition("Ext_Id__c", FieldType.String) { ExternalId = true }];
        var emulator = new SalesforceEmulator(options);
        await using var server = await emulator.ListenAsync(cancellationToken: Ct);
        var (runExit, stdout) = await ChildProcess.RunAsync(binary, [server.BaseAddress.ToString(), SalesforceEmulatorOptions.DefaultAccessToken, server.PubSubAddress!.ToString(), "00DHs0000000001MAA"],
            _directory, TimeSpan.FromMinutes(2), Ct);

        Assert.True(runExit == 0, $"the native app failed ({runExit}):\n{stdout}");
        // One line per step: its name, then what it saw.
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(l => l.Split(' ')[0], l => l.Contains(' ', StringComparison.Ordinal) ? l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..] : string.Empty);
        var created = lines["create"];
        Assert.Matches("^001[A-Za-z0-9]{15}$", created);
        Assert.Equal($"{created} AOT Smoke Technology 42", lines["get"]);
        var upserted = lines["upsert"].Split(' ');
        Assert.Equal("created", upserted[1]);
        Assert.Equal($"1 {created}", lines["query"]);
        Assert.Equal("1 AOT Upserted", lines["query-sobject"]);
        var ingest = lines["bulk-ingest"].Split(' ');
        Assert.Equal(["3", "0"], ingest[..2]);
        var bulkIds = ingest[2].Split('|');
        Assert.Equal("3 AOT Bulk 1:1|AOT Bulk 2:2|AOT Bulk 3:3", lines["bulk-query"]);
        // The first Account change event of the org: the create, decoded from Avro and bound to the app's type.
        Assert.Equal($"CREATE Account {created} AOT Smoke 42", lines["cdc"]);
        Assert.True(lines.ContainsKey("done"), stdout);

        // What the org holds now, read back in-process: every record the native app said it wrote, as it wrote it.
        await using var factory = SalesforceClientFactory.Create(
            new SalesforceOptions { ClientId = "aot-check", LoginUrl = server.BaseAddress }, await TokensAsync(server.BaseAddress));
        var sf = factory.ForUser("check");
        var held = await sf.Query.QueryAsync<SObject>(
            "SELECT Id, Name, Industry, NumberOfEmployees, Ext_Id__c FROM Account WHERE Name LIKE 'AOT %' ORDER BY Name", cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(["AOT Bulk 1", "AOT Bulk 2", "AOT Bulk 3", "AOT Smoke", "AOT Upserted"], held.Select(a => a.Get<string>("Name")));
        Assert.Equal(bulkIds, held.Take(3).Select(a => a.Id));
        Assert.Equal([1, 2, 3], held.Take(3).Select(a => a.Get<int>("NumberOfEmployees")));
        Assert.Equal(created, held[3].Id);
        Assert.Equal("Technology", held[3].Get<string>("Industry"));
        Assert.Equal(upserted[0], held[4].Id);
        Assert.Equal("AOT-EXT-1", held[4].Get<string>("Ext_Id__c"));
    }

    private static async Task<InMemoryTokenStore> TokensAsync(Uri instance)
    {
        var tokens = new InMemoryTokenStore();
        await tokens.SaveAsync("check", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, instance, DateTimeOffset.UtcNow), Ct);
        return tokens;
    }

    /// <summary>A trimming (IL2xxx) or AOT (IL3xxx) diagnostic in MSBuild's output.</summary>
    [GeneratedRegex(@"(warning|error) IL[23]\d{3}:[^\r\n]*")]
    private static partial Regex TrimmingDiagnostic();

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"Atom.Salesforce.Client.sln not found above {AppContext.BaseDirectory}.");
        }
    }
}
