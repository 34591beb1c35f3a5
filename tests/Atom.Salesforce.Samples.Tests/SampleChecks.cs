using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Atom.Salesforce.Client;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>What the sample tests share: an identical demo org to compute the expected values on, and output checks.</summary>
internal static class SampleChecks
{
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>
    /// Runs <paramref name="analyze"/> on a demo org generated like the sample's (same seed, scale and clock), in-process.
    /// </summary>
    public static async Task<T> OnSameDemoOrgAsync<T>(double scale, TimeProvider clock, Func<SalesforceClient, Task<T>> analyze, CancellationToken cancellationToken)
    {
        var emulator = new SalesforceEmulator(new SalesforceEmulatorOptions { DemoData = new DemoDataOptions { Scale = scale }, TimeProvider = clock });
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
            {
                o.ClientId = "emulator-client";
                o.LoginUrl = emulator.InstanceUrl;
            })
            .ConfigureHttpClient(b => b.ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ITokenStore>().SaveAsync("expected", new SalesforceToken(SalesforceEmulatorOptions.DefaultAccessToken, emulator.InstanceUrl, DateTimeOffset.UtcNow), cancellationToken);
        return await analyze(provider.GetRequiredService<ISalesforceClientFactory>().ForUser("expected"));
    }

    /// <summary>A table row: the cells separated by runs of spaces (right-aligned first cells are padded), nothing else on the line.</summary>
    public static void AssertRow(string[] lines, params string[] cells)
    {
        var pattern = @"^\s*" + string.Join(@"\s+", cells.Select(Regex.Escape)) + "$";
        Assert.Contains(lines, l => Regex.IsMatch(l, pattern));
    }

    public static XDocument LoadXhtml(string path)
    {
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static XElement Chart(XDocument html, string id) => html.Descendants(Svg + "svg").Single(s => (string?)s.Attribute("id") == id);
}
