namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// Issue 22's cold-start benchmark (benchmarks/README.md) runs as the README says, <c>./build.sh bench coldstart</c>, here with
/// one timed process per JIT variant: every variant's fresh process connects to the fake org on loopback and pages exactly
/// the 10,000 records it serves (five pages of 2,000 linked by <c>nextRecordsUrl</c>), and the report gives each one its
/// floor's ratio from the same run. No timing is asserted: the figures are the benchmark's, not the test's.
/// </summary>
public sealed class ColdStartBenchmarkTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("atom-coldstart-test-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Build_sh_bench_coldstart_runs_every_JIT_variant_and_each_pages_all_10000_records()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "./build.sh is a bash script.");
        var (exit, output) = await ChildProcess.RunAsync(
            "bash", ["build.sh", "bench", "coldstart", "--runs", "1", "--no-aot", "--work", _directory], RepositoryRoot, TimeSpan.FromMinutes(20), Ct,
            // Not a CI build of its own: build.sh would shut the build servers down at its exit, under the rest of the test run.
            static environment => environment.Remove("CI"));

        Assert.True(exit == 0, $"./build.sh bench coldstart failed ({exit}):\n{output}");
        var rows = output.Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Variant", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(c => c[0], StringComparer.Ordinal);
        Assert.Equal(["floor", "sdk-di", "sdk-nodi"], rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (variant, cells) in rows)
        {
            // Runs, records per run (every run's count), then the ratio to the floor of the same run.
            Assert.True(cells[1] == "1", $"{variant}: {string.Join(" | ", cells)}");
            Assert.True(cells[2] == "10000", $"{variant} did not page exactly 10,000 records: {string.Join(" | ", cells)}");
            Assert.Matches(@"^×\d+\.\d\d$", cells[5]);
        }

        Assert.Equal("×1.00", rows["floor"][5]);
    }

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
