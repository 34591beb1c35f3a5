using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// Debian's Chromium, headless, driven from its command line: a page's DOM after a measuring script ran (<c>--dump-dom</c>)
/// and screenshots, at a given window width. Each run has a fresh profile and no network chatter (the flags this machine
/// needs: no sandbox as root, no GPU, no background networking, updates or sync).
/// </summary>
internal static partial class HeadlessChromium
{
    /// <summary>The browser: <c>ATOM_TEST_CHROMIUM</c>, else Debian's /usr/bin/chromium (./build.sh installs it when missing).</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("ATOM_TEST_CHROMIUM") is { Length: > 0 } path ? path
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException("Chromium not found at /usr/bin/chromium: run ./build.sh test (it installs Debian's chromium), "
                                              + "`apt-get install -y chromium`, or set ATOM_TEST_CHROMIUM to a Chromium or Chrome binary.");

    /// <summary>
    /// Opens <paramref name="page"/> with <paramref name="script"/> appended to its body, in a window <paramref name="width"/>
    /// pixels wide, and returns the text the script put in a <c>&lt;pre id="measure"&gt;</c>.
    /// </summary>
    public static async Task<string> MeasureAsync(string page, string script, int width, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(Path.GetDirectoryName(page)!, $"measure-{width}-{Path.GetFileName(page)}");
        var html = await File.ReadAllTextAsync(page, cancellationToken);
        await File.WriteAllTextAsync(copy, html.Replace("</body>", "<script>" + script + "</script>\n</body>", StringComparison.Ordinal), cancellationToken);
        try
        {
            var dom = await RunAsync(["--dump-dom", $"--window-size={width},900", new Uri(copy).AbsoluteUri], cancellationToken);
            var match = Measure().Match(dom);
            Assert.True(match.Success, "The measuring script left no result:\n" + dom[..Math.Min(dom.Length, 2000)]);
            return WebUtility.HtmlDecode(match.Groups[1].Value);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>Saves a PNG of <paramref name="page"/> in a window <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static async Task ScreenshotAsync(string page, string png, int width, int height, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        await RunAsync([$"--screenshot={png}", $"--window-size={width},{height}", new Uri(page).AbsoluteUri], cancellationToken);
        Assert.True(File.Exists(png) && new FileInfo(png).Length > 1000, $"Chromium wrote no screenshot to {png}");
    }

    private static async Task<string> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1", $"--user-data-dir={profile}", .. args])
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(3));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var stdout = await output;
            var stderr = await errors;
            Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"chromium exited with {process.ExitCode}:\n{stderr}"));
            return stdout;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; the folder is in the temp directory.
            }
        }
    }

    [GeneratedRegex("<pre id=\"measure\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Measure();
}
