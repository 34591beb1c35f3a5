namespace Atom.Salesforce.Client.Tests.Infrastructure;

/// <summary>The recorded Salesforce responses in tests/data/fixtures, copied next to the test binaries.</summary>
internal static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    public static IEnumerable<string> All(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder)).Select(f => Path.GetRelativePath(Root, f)).Order();
}
