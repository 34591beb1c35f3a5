using BenchmarkDotNet.Running;

// `latency`: the change → handler latency harness (an open-loop rate BenchmarkDotNet cannot express); anything else goes
// to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "latency")
{
    return await Atom.Salesforce.Client.Benchmarks.ChangeLatencyHarness.RunAsync(args[1..]);
}

// `mirror`: the PostgreSQL mirror's load and lag harness (and, with `mirror mirror-writer`, its writer process).
if (args.Length > 0 && args[0] == "mirror")
{
    return await Atom.Salesforce.Client.Benchmarks.MirrorHarness.RunAsync(args[1..]);
}

// `paging-memory`: peak working set of fresh processes paging 100,000 and 1,000,000 records (and its child process).
if (args.Length > 0 && args[0] == "paging-memory")
{
    return await Atom.Salesforce.Client.Benchmarks.PagingMemoryHarness.RunAsync(args[1..]);
}

// `bulkphases`: where a Bulk API 2.0 ingest's wall time goes, request by request, against collections.
if (args.Length > 0 && args[0] == "bulkphases")
{
    return await Atom.Salesforce.Client.Benchmarks.BulkPhasesHarness.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Atom.Salesforce.Client.Benchmarks.QueryPageData).Assembly).Run(args);
return 0;
