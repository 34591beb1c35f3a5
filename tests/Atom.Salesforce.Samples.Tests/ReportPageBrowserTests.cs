using System.Text.Json;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>report.html in a real browser (headless Chromium), as a reader sees it.</summary>
public sealed partial class ReportPageTests
{
    /// <summary>
    /// Measures in the browser: for each SVG, its box, each text's box that leaves it (with a pixel of tolerance for
    /// anti-aliasing), how many texts and how many drawn bars it has; and how far the page scrolls sideways.
    /// </summary>
    private const string MeasuringScript =
        """
        (function () {
          var out = { width: window.innerWidth, overflowX: document.documentElement.scrollWidth - window.innerWidth,
                      height: document.documentElement.scrollHeight, charts: [] };
          document.querySelectorAll('svg').forEach(function (svg) {
            var b = svg.getBoundingClientRect();
            var chart = { id: svg.id, width: b.width, height: b.height, texts: 0, bars: 0, outside: [] };
            svg.querySelectorAll('text').forEach(function (t) {
              var r = t.getBoundingClientRect();
              chart.texts++;
              if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1) {
                chart.outside.push(t.textContent + ' [' + Math.round(r.left - b.left) + ', ' + Math.round(r.right - b.right) + ', '
                  + Math.round(r.top - b.top) + ', ' + Math.round(r.bottom - b.bottom) + ']');
              }
            });
            svg.querySelectorAll('g.row rect').forEach(function (r) {
              var q = r.getBoundingClientRect();
              if (q.width >= 0.5 && q.height >= 1) { chart.bars++; }
            });
            out.charts.push(chart);
          });
          var pre = document.createElement('pre');
          pre.id = 'measure';
          pre.textContent = JSON.stringify(out);
          document.body.appendChild(pre);
        })();
        """;

    [Theory]
    [InlineData(1280)]
    [InlineData(800)]
    public async Task In_headless_Chromium_every_chart_text_lies_inside_its_chart_and_no_chart_is_empty(int width)
    {
        var ct = TestContext.Current.CancellationToken;

        var json = await HeadlessChromium.MeasureAsync(run.HtmlPath, MeasuringScript, width, ct);

        var page = JsonDocument.Parse(json).RootElement;
        Assert.Equal(width, page.GetProperty("width").GetInt32());
        Assert.True(page.GetProperty("overflowX").GetDouble() <= 0, $"the page scrolls sideways at {width}px: {json}");
        var charts = page.GetProperty("charts").EnumerateArray().ToList();
        Assert.Equal(8, charts.Count);
        foreach (var chart in charts)
        {
            var id = chart.GetProperty("id").GetString();
            Assert.True(chart.GetProperty("width").GetDouble() > 200 && chart.GetProperty("height").GetDouble() > 50, $"{id} is not drawn: {chart}");
            Assert.True(chart.GetProperty("width").GetDouble() <= width, $"{id} is wider than the window: {chart}");
            Assert.True(chart.GetProperty("bars").GetInt32() > 0, $"{id} has no bar: {chart}");
            Assert.True(chart.GetProperty("texts").GetInt32() > 3, $"{id} has no labels: {chart}");
            Assert.True(chart.GetProperty("outside").GetArrayLength() == 0, $"{id} at {width}px: texts outside the chart: {chart.GetProperty("outside")}");
        }

        // A screenshot of the whole page, kept with the test results.
        var png = Path.Combine(ResultsDirectory(), "pipeline-report", $"report-{width}.png");
        await HeadlessChromium.ScreenshotAsync(run.HtmlPath, png, width, Math.Min(16_000, page.GetProperty("height").GetInt32()), ct);
        TestContext.Current.AddAttachment($"report-{width}.png", await File.ReadAllBytesAsync(png, ct), "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {png}");
    }

    /// <summary>
    /// Where the test run keeps its results: the <c>--results-directory</c> given to the test host (./build.sh test passes
    /// artifacts/test-results), else TestResults next to the test binaries (Microsoft.Testing.Platform's default).
    /// </summary>
    private static string ResultsDirectory()
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, "--results-directory");
        return at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : Path.Combine(AppContext.BaseDirectory, "TestResults");
    }
}
