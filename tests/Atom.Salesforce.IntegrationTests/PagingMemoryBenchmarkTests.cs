using System.Globalization;

namespace Atom.Salesforce.IntegrationTests;

/// <summary>
/// Issue 22: memory stays flat in the record count. <c>./build.sh bench paging-memory</c> (benchmarks/README.md) pages 100,000
/// and 1,000,000 records through the SDK and through the raw floor, each in a fresh process, and reports each process's peak
/// working set. A process that kept anything per record (even 16 bytes) would need 14 MB more at 1,000,000 records than at
/// 100,000, one that kept the records 100 MB and more; the SDK's peak must not grow with the count beyond the floor's own
/// process-to-process spread. No timing is asserted.
/// </summary>
public sealed class PagingMemoryBenchmarkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_sh_bench_paging_memory_pages_every_record_and_the_SDKs_peak_working_set_does_not_grow_with_the_count()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "./build.sh is a bash script.");
        var (exit, output) = await ChildProcess.RunAsync(
            "bash", ["build.sh", "bench", "paging-memory", "--counts", "100000,1000000", "--runs", "1"], RepositoryRoot, TimeSpan.FromMinutes(20), Ct,
            // Not a CI build of its own: build.sh would shut the build servers down at its exit, under the rest of the test run.
            static environment => environment.Remove("CI"));

        Assert.True(exit == 0, $"./build.sh bench paging-memory failed ({exit}):\n{output}");
        // | Variant | Records | Runs | Records per run | Peak working set (median) | min – max | vs 100,000 records | Median wall |
        var rows = output.Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Variant", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToDictionary(c => (Variant: c[0], Count: c[1]));
        Assert.Equal(4, rows.Count);
        foreach (var ((variant, count), cells) in rows)
        {
            Assert.True(cells[3] == count.Replace(",", string.Empty, StringComparison.Ordinal), $"{variant} did not page exactly {count} records: {string.Join(" | ", cells)}");
        }

        var sdkSmall = Megabytes(rows[("sdk", "100,000")][4]);
        var sdkLarge = Megabytes(rows[("sdk", "1,000,000")][4]);
        var floorSmall = Megabytes(rows[("floor", "100,000")][4]);
        var floorLarge = Megabytes(rows[("floor", "1,000,000")][4]);

        // Ten times the records: the SDK's peak grows by no more than the floor's did plus 10 MB of process-to-process spread.
        var allowed = Math.Max(floorLarge - floorSmall, 0) + 10;
        Assert.True(sdkLarge - sdkSmall <= allowed,
            $"The SDK's peak working set grew from {sdkSmall} MB (100,000 records) to {sdkLarge} MB (1,000,000), more than {allowed} MB (the floor: {floorSmall} → {floorLarge} MB).\n{output}");
    }

    private static double Megabytes(string cell) => double.Parse(cell.Split(' ')[0], CultureInfo.InvariantCulture);

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
