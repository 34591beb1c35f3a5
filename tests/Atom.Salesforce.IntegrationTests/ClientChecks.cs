namespace Atom.Salesforce.IntegrationTests;

/// <summary>The other-language client checks of tests/clients (jsforce, the Salesforce CLI), each with its npm dependencies.</summary>
internal static class ClientChecks
{
    /// <summary>tests/clients/NAME, found from the test binaries upwards; ./build.sh test runs npm ci there first.</summary>
    public static string Find(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "clients", name);
            if (Directory.Exists(candidate))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules")), $"Run 'npm ci' in {candidate} (./build.sh test does).");
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/clients/{name} not found above {AppContext.BaseDirectory}.");
    }
}
