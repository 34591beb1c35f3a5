using Atom.Salesforce.ColdStart;

// ./build.sh bench coldstart [--runs N] [--no-aot] [--r2r] [--variants floor,sdk-di,...] [--work DIR] [--compare OTHER-CHECKOUT] | --serve
var runs = 20;
var aot = true;
var r2r = false;
string? work = null;
string? compare = null;
IReadOnlyList<ColdStartVariant> variants = ColdStartVariant.All;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs":
            runs = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--no-aot":
            aot = false;
            break;
        case "--r2r":
            // Adds the ReadyToRun variants (ColdStartVariant.ReadyToRun) to the default ones.
            r2r = true;
            break;
        case "--variants":
            var names = args[++i].Split(',');
            variants = [.. ColdStartVariant.All.Concat(ColdStartVariant.ReadyToRun).Where(v => names.Contains(v.Name))];
            break;
        case "--serve":
            // Only the fake org, until Enter or end of input: for profiling one client by hand
            // (DOTNET_JitStdOutFile=jit.txt DOTNET_JitDisasmSummary=1 ./Atom.Salesforce.ColdStart.Sdk di URL).
            await using (var org = new FakeOrg())
            {
                Console.WriteLine(org.BaseAddress);
                Console.ReadLine();
            }

            return 0;
        case "--compare":
            // Another checkout (an earlier commit, say): its SDK variants run in the same run, interleaved, as NAME@before.
            compare = Path.GetFullPath(args[++i]);
            break;
        case "--work":
            work = Path.GetFullPath(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--runs N] [--no-aot] [--r2r] [--variants floor,sdk-di,sdk-nodi,floor-aot,sdk-di-aot,sdk-nodi-aot] [--work DIR] [--compare OTHER-CHECKOUT]");
            return 2;
    }
}

if (r2r)
{
    variants = [.. variants, .. ColdStartVariant.ReadyToRun.Where(v => !variants.Contains(v))];
}

if (!aot)
{
    variants = [.. variants.Where(v => !v.NativeAot)];
}

if (compare is not null)
{
    variants = [.. variants, .. variants.Where(v => v.Name.StartsWith("sdk", StringComparison.Ordinal))
        .Select(v => v with { Name = v.Name + "@before", Description = v.Description + ", built from " + compare, Root = compare })];
}

var settings = new ColdStartSettings
{
    RepositoryRoot = ColdStartBenchmark.FindRepositoryRoot(AppContext.BaseDirectory),
    WorkDirectory = work,
    Runs = runs,
    Variants = variants,
};
var results = await ColdStartBenchmark.RunAsync(settings, Console.Out, CancellationToken.None);
Console.WriteLine();
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine(ColdStartBenchmark.Report(results, variants));
return 0;
