using Atom.Salesforce.ColdStart;

// ./build.sh bench coldstart [--runs N] [--no-aot] [--variants floor,sdk-di,...] [--work DIR]
var runs = 20;
var aot = true;
string? work = null;
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
        case "--variants":
            var names = args[++i].Split(',');
            variants = [.. ColdStartVariant.All.Where(v => names.Contains(v.Name))];
            break;
        case "--work":
            work = Path.GetFullPath(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--runs N] [--no-aot] [--variants floor,sdk-di,sdk-nodi,floor-aot,sdk-di-aot,sdk-nodi-aot] [--work DIR]");
            return 2;
    }
}

if (!aot)
{
    variants = [.. variants.Where(v => !v.NativeAot)];
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
