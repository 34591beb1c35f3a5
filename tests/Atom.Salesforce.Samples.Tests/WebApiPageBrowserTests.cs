using System.Diagnostics;
using Atom.Salesforce.Samples.WebApi;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// The web sample's API page in a real browser (Debian's chromium, headless) that can resolve no host but loopback: the
/// page still renders every route group from the app's own script and the pack's OpenAPI document, so it needs no CDN.
/// </summary>
public sealed class WebApiPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_page_renders_the_routes_with_no_network_but_the_app()
    {
        Assert.SkipUnless(File.Exists(Chromium), "Debian's chromium is not installed (./build.sh test installs it).");
        await using var factory = new WebApplicationFactory<WebApiSample>();
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.FirstOrDefault(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) ?? addresses.First();

        var profile = Directory.CreateTempSubdirectory("atom-chromium-");
        try
        {
            var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                // Every host but loopback fails to resolve: a CDN font, script or stylesheet could not load.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1400,1000", "--virtual-time-budget=20000", "--dump-dom", address.TrimEnd('/') + "/",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var browser = Process.Start(start)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(4));
            var errors = browser.StandardError.ReadToEndAsync(timeout.Token);
            string dom;
            try
            {
                dom = await browser.StandardOutput.ReadToEndAsync(timeout.Token);
                await browser.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!browser.HasExited)
                {
                    browser.Kill(entireProcessTree: true);
                }
            }

            // Rendered by the page's script from the OpenAPI document: the tags and an operation's summary.
            Assert.True(dom.Contains("Salesforce analytics", StringComparison.Ordinal), $"The page did not render (chromium said: {await errors}):\n{dom[..Math.Min(dom.Length, 2000)]}");
            Assert.Contains("Salesforce accounts", dom, StringComparison.Ordinal);
            Assert.Contains("List Account records", dom, StringComparison.Ordinal);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
