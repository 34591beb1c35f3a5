using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Atom.Salesforce.ColdStart;

/// <summary>How a client program is built.</summary>
public enum ColdStartBuild
{
    /// <summary>Built for the JIT, framework-dependent (<c>dotnet build -c Release</c>): what an app gets by default.</summary>
    Jit,

    /// <summary>Published with NativeAOT for this machine's runtime identifier.</summary>
    NativeAot,

    /// <summary>
    /// Published framework-dependent with <c>PublishReadyToRun=true</c> for this machine's runtime identifier: the program,
    /// the SDK and the Microsoft.Extensions assemblies precompiled (the framework's own are precompiled already).
    /// </summary>
    ReadyToRun,

    /// <summary>
    /// The same publish with only the SDK's own assemblies (<c>Atom.Salesforce.*</c>) precompiled, the program and every other
    /// NuGet assembly left to the JIT: what a default JIT app would get from a package that shipped ReadyToRun images of the SDK
    /// for its runtime identifier.
    /// </summary>
    ReadyToRunSdkOnly,
}

/// <summary>One kind of client process: a program, how it was built, and its arguments before the org's URL.</summary>
/// <param name="Name">The variant's name in the report.</param>
/// <param name="Description">What it does, for the report.</param>
/// <param name="Project">The client project under benchmarks/.</param>
/// <param name="Build">How the program is built.</param>
/// <param name="Arguments">Arguments before the org's URL.</param>
/// <param name="Floor">The variant this one is compared with (itself for a floor).</param>
/// <param name="Root">The repository the program is built from; <see cref="ColdStartSettings.RepositoryRoot"/> when null (another
/// checkout compares an earlier SDK with this one in the same run).</param>
public sealed record ColdStartVariant(string Name, string Description, string Project, ColdStartBuild Build, string[] Arguments, string Floor, string? Root = null)
{
    /// <summary>Published with NativeAOT (no JIT: no JIT or assembly counts).</summary>
    public bool NativeAot => Build == ColdStartBuild.NativeAot;

    /// <summary>Every default variant: the JIT floor and the SDK with and without the container, then the NativeAOT trio.</summary>
    public static IReadOnlyList<ColdStartVariant> All { get; } =
    [
        new("floor", "raw HttpClient + source-generated STJ, paging by hand", "Atom.Salesforce.ColdStart.Floor", ColdStartBuild.Jit, [], "floor"),
        new("sdk-di", "AddAtomSalesforce + in-memory token store + ForUser + QueryAsync<POCO>", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.Jit, ["di"], "floor"),
        new("sdk-nodi", "SalesforceClientFactory.Create + ForUser + QueryAsync<POCO>", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.Jit, ["nodi"], "floor"),
        new("floor-aot", "the floor, NativeAOT", "Atom.Salesforce.ColdStart.Floor", ColdStartBuild.NativeAot, [], "floor-aot"),
        new("sdk-di-aot", "sdk-di, NativeAOT", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.NativeAot, ["di"], "floor-aot"),
        new("sdk-nodi-aot", "sdk-nodi, NativeAOT", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.NativeAot, ["nodi"], "floor-aot"),
    ];

    /// <summary>
    /// The ReadyToRun variants (<c>--r2r</c>): the SDK's assemblies alone precompiled against the JIT floor (what a package with
    /// ReadyToRun images would give a default app), and the whole app published with ReadyToRun against the floor published so.
    /// </summary>
    public static IReadOnlyList<ColdStartVariant> ReadyToRun { get; } =
    [
        new("sdk-di-r2rsdk", "sdk-di, only the SDK's assemblies ReadyToRun", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.ReadyToRunSdkOnly, ["di"], "floor"),
        new("sdk-nodi-r2rsdk", "sdk-nodi, only the SDK's assemblies ReadyToRun", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.ReadyToRunSdkOnly, ["nodi"], "floor"),
        new("floor-r2r", "the floor, published with ReadyToRun", "Atom.Salesforce.ColdStart.Floor", ColdStartBuild.ReadyToRun, [], "floor-r2r"),
        new("sdk-di-r2r", "sdk-di, published with ReadyToRun", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.ReadyToRun, ["di"], "floor-r2r"),
        new("sdk-nodi-r2r", "sdk-nodi, published with ReadyToRun", "Atom.Salesforce.ColdStart.Sdk", ColdStartBuild.ReadyToRun, ["nodi"], "floor-r2r"),
    ];
}

/// <summary>What one client process reported, and how long it lived.</summary>
/// <param name="WallMs">From just before the process was started to its exit, as the runner saw it.</param>
/// <param name="MainMs">From the start to the program's first line (runtime start-up).</param>
/// <param name="ReadyMs">From the start to a client ready to call (container or factory built, token stored, ForUser).</param>
/// <param name="PagedMs">From the start to the last of the 10,000 records read.</param>
/// <param name="Records">Records the program counted.</param>
/// <param name="ReadyJitMethods">Methods JIT-compiled by the time the client was ready.</param>
/// <param name="JitMethods">Methods JIT-compiled by the end (0 under NativeAOT).</param>
/// <param name="JitMs">Time spent JIT-compiling by the end.</param>
/// <param name="Assemblies">Assemblies loaded at the end.</param>
public sealed record ColdStartRun(double WallMs, double MainMs, double ReadyMs, double PagedMs, int Records, int ReadyJitMethods, int JitMethods, double JitMs, int Assemblies);

/// <summary>Settings of one benchmark run.</summary>
public sealed class ColdStartSettings
{
    /// <summary>The repository root (holds Atom.Salesforce.Client.sln).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Where the client programs are built; a fresh folder under the system temp folder when null.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Timed processes per variant (after one untimed warm-up run each).</summary>
    public int Runs { get; init; } = 20;

    /// <summary>The variants to run; every one of <see cref="ColdStartVariant.All"/> by default.</summary>
    public IReadOnlyList<ColdStartVariant> Variants { get; init; } = ColdStartVariant.All;

    /// <summary>Untimed runs of each variant before the timed ones (file cache, page cache).</summary>
    public int WarmupRuns { get; init; } = 1;

    /// <summary>Pin the org (this process) to the first core and the clients to the second, when there are two and taskset exists.</summary>
    public bool Pin { get; init; } = true;
}

/// <summary>The whole-process cold-start benchmark of issue 22 (benchmarks/README.md).</summary>
public static class ColdStartBenchmark
{
    /// <summary>Builds the variants' programs, serves the fake org, runs every variant <see cref="ColdStartSettings.Runs"/> times.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<ColdStartRun>>> RunAsync(
        ColdStartSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var work = settings.WorkDirectory ?? Directory.CreateTempSubdirectory("atom-coldstart-").FullName;
        var executables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var build in settings.Variants.Select(v => (v.Project, v.Build, v.Root)).Distinct())
        {
            executables[Key(build.Project, build.Build, build.Root)] = await BuildAsync(
                build.Root ?? settings.RepositoryRoot, Path.Combine(work, build.Root is null ? "this" : "other"), build.Project, build.Build, log, cancellationToken);
        }

        var pin = settings.Pin && OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2 && File.Exists("/usr/bin/taskset");
        if (pin && OperatingSystem.IsLinux())
        {
            // The org on core 0, every client on core 1: the server's work does not land on the measured process's core.
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }

        await using var org = new FakeOrg();
        log.WriteLine($"fake org at {org.BaseAddress}; {settings.Runs} timed run(s) per variant{(pin ? ", clients pinned to core 1, org to core 0" : string.Empty)}");
        var runs = settings.Variants.ToDictionary(v => v.Name, _ => new List<ColdStartRun>(), StringComparer.Ordinal);
        for (var round = -settings.WarmupRuns; round < settings.Runs; round++)
        {
            // Interleaved, in a rotating order, so that a burst of load elsewhere on the machine is shared by every variant.
            for (var i = 0; i < settings.Variants.Count; i++)
            {
                var variant = settings.Variants[(i + Math.Max(round, 0)) % settings.Variants.Count];
                var exe = executables[Key(variant.Project, variant.Build, variant.Root)];
                var run = await RunOnceAsync(exe, [.. variant.Arguments, org.BaseAddress.ToString()], pin, cancellationToken);
                if (run.Records != FakeOrg.Total)
                {
                    throw new InvalidOperationException($"{variant.Name} read {run.Records} records, not {FakeOrg.Total}.");
                }

                if (round >= 0)
                {
                    runs[variant.Name].Add(run);
                }
            }
        }

        return runs.ToDictionary(p => p.Key, p => (IReadOnlyList<ColdStartRun>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The report as a Markdown table: medians, p90 and ratios against each variant's floor of the same run.</summary>
    public static string Report(IReadOnlyDictionary<string, IReadOnlyList<ColdStartRun>> runs, IReadOnlyList<ColdStartVariant> variants)
    {
        var table = new StringBuilder();
        table.AppendLine("| Variant | Runs | Records per run | Median wall | p90 wall | Ratio to floor | Runtime start | Client ready | Paged | JIT'd methods (ready / end) | JIT time | Assemblies |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var variant in variants)
        {
            var r = runs[variant.Name];
            var floor = runs.TryGetValue(variant.Floor, out var f) ? Median(f, x => x.WallMs) : double.NaN;
            var median = Median(r, x => x.WallMs);
            var jit = variant.NativeAot ? "—" : $"{Median(r, x => x.ReadyJitMethods):F0} / {Median(r, x => x.JitMethods):F0}";
            var jitMs = variant.NativeAot ? "—" : $"{Median(r, x => x.JitMs):F0} ms";
            var assemblies = variant.NativeAot ? "—" : $"{Median(r, x => x.Assemblies):F0}";
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {variant.Name} | {r.Count} | {string.Join(", ", r.Select(x => x.Records).Distinct())} | {median:F0} ms | {Percentile(r, x => x.WallMs, 0.9):F0} ms | ×{median / floor:F2} | {Median(r, x => x.MainMs):F0} ms | {Median(r, x => x.ReadyMs):F0} ms | {Median(r, x => x.PagedMs):F0} ms | {jit} | {jitMs} | {assemblies} |");
        }

        return table.ToString();
    }

    /// <summary>The repository root above <paramref name="start"/>: the folder holding Atom.Salesforce.Client.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Atom.Salesforce.Client.sln not found above {start}.");
    }

    private static string Key(string project, ColdStartBuild build, string? root) => $"{project}|{build}|{root}";

    private static double Median(IReadOnlyList<ColdStartRun> runs, Func<ColdStartRun, double> value) => Percentile(runs, value, 0.5);

    private static double Percentile(IReadOnlyList<ColdStartRun> runs, Func<ColdStartRun, double> value, double p)
    {
        var sorted = runs.Select(value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        // Linear interpolation between closest ranks (the median of an even count is the mean of the middle two).
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>Builds (JIT) or publishes (NativeAOT, ReadyToRun) one client program into its own folder and returns its executable.</summary>
    private static async Task<string> BuildAsync(string root, string work, string project, ColdStartBuild build, TextWriter log, CancellationToken cancellationToken)
    {
        var csproj = Path.Combine(root, "benchmarks", project, project + ".csproj");
        var output = Path.Combine(work, build switch
        {
            ColdStartBuild.NativeAot => "aot-",
            ColdStartBuild.ReadyToRun => "r2r-",
            ColdStartBuild.ReadyToRunSdkOnly => "r2rsdk-",
            _ => "jit-",
        } + project);
        // Its own artifacts folder: the build must not write over the binaries of the solution's own build (or a test run's).
        List<string> args = build switch
        {
            ColdStartBuild.NativeAot => ["publish", csproj, "-c", "Release", "-r", RuntimeIdentifier, "-p:PublishAot=true", "-o", output],
            ColdStartBuild.ReadyToRun => ["publish", csproj, "-c", "Release", "-r", RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-o", output],
            // The client programs' ColdStartReadyToRun=sdk leaves every assembly but the SDK's own out of the ReadyToRun compilation.
            ColdStartBuild.ReadyToRunSdkOnly => ["publish", csproj, "-c", "Release", "-r", RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true", "-p:ColdStartReadyToRun=sdk", "-o", output],
            _ => ["build", csproj, "-c", "Release", "-o", output],
        };
        args.AddRange(["--artifacts-path", Path.Combine(work, "artifacts"), "-nologo", "-clp:NoSummary", "-v:q"]);
        log.WriteLine($"{(build == ColdStartBuild.Jit ? "building" : $"publishing ({build})")} {project}");
        var start = new ProcessStartInfo(DotnetHost, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        var (exit, text) = await CaptureAsync(start, TimeSpan.FromMinutes(20), cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed ({exit}):\n{text}");
        }

        var exe = Path.Combine(output, project);
        return File.Exists(exe) ? exe : throw new FileNotFoundException($"no executable at {exe}", exe);
    }

    private static async Task<ColdStartRun> RunOnceAsync(string exe, string[] args, bool pin, CancellationToken cancellationToken)
    {
        var start = pin ? new ProcessStartInfo("/usr/bin/taskset", ["-c", "1", exe, .. args]) : new ProcessStartInfo(exe, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // The runtime's defaults: no setting of the runner's own environment (a test host's, say) reaches the client.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT").ToList())
        {
            start.Environment.Remove(key);
        }

        var t0 = Stopwatch.GetTimestamp();
        var (exit, text) = await CaptureAsync(start, TimeSpan.FromMinutes(2), cancellationToken);
        var wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("coldstart ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({exit}):\n{text}");
        }

        // Stopwatch timestamps are CLOCK_MONOTONIC on Linux (the same clock in every process), so the program's own marks
        // are measured from the runner's start mark.
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        double Since(string key) => (long.Parse(fields[key], CultureInfo.InvariantCulture) - t0) * 1000.0 / Stopwatch.Frequency;
        return new ColdStartRun(
            wall, Since("main"), Since("ready"), Since("paged"),
            int.Parse(fields["records"], CultureInfo.InvariantCulture),
            int.Parse(fields["ready_jit"], CultureInfo.InvariantCulture),
            int.Parse(fields["jit"], CultureInfo.InvariantCulture),
            double.Parse(fields["jit_ms"], CultureInfo.InvariantCulture),
            int.Parse(fields["assemblies"], CultureInfo.InvariantCulture));
    }

    private static async Task<(int ExitCode, string Output)> CaptureAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = start };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;
}
