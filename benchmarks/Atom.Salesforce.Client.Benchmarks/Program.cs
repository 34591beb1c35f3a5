using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Atom.Salesforce.Client.Benchmarks.QueryPageData).Assembly).Run(args);
