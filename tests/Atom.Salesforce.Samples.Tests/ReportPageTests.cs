using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Atom.Salesforce.Samples.PipelineReporting;

namespace Atom.Salesforce.Samples.Tests;

/// <summary>
/// What the terminal and report.html of one run hold: every table the terminal prints is in the page with each cell in
/// full, the terminal fits 120 columns, the funnel only narrows, every chart says what it counts on a ticked axis, and
/// every definition link points at a heading that exists.
/// </summary>
public sealed partial class ReportPageTests(ReportRun run) : IClassFixture<ReportRun>
{
    private static readonly XNamespace Xhtml = SampleChecks.Xhtml;
    private static readonly XNamespace Svg = SampleChecks.Svg;

    [Fact]
    public void Every_line_fits_120_columns_and_has_no_escape_sequence()
    {
        Assert.True(run.Lines.Length > 150, string.Join('\n', run.Lines));
        Assert.All(run.Lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.DoesNotContain(run.Lines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void Every_step_longer_than_a_moment_says_what_it_did_and_how_long_it_took()
    {
        // Each load: what it read, the rows and the rate.
        Assert.All(["opportunities", "history rows", "leads", "accounts", "contacts", "activities", "users"], what =>
            Assert.Contains(run.Lines, l => Regex.IsMatch(l, @"^  [\d,]+ " + Regex.Escape(what) + @" \(\d+\.\d s, [\d,]+ rows/s\)$")));
        Assert.Contains(run.Lines, l => l.StartsWith("Generating the demo org (scale 0.3, today 2026-06-30)...", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => Regex.IsMatch(l, @"^  emulator listening on http://127\.0\.0\.1:\d+/ \(\d+\.\d s\)$"));
        Assert.Contains("Training the win probability model on closed deals' history...", run.Lines);
        Assert.Contains("Analysing leads and training the lead scoring model...", run.Lines);
    }

    [Fact]
    public void Every_table_the_terminal_prints_is_in_the_page_with_every_cell_in_full()
    {
        Assert.Equal(15, run.Result.Tables.Count);
        foreach (var table in run.Result.Tables)
        {
            Assert.Contains(table.Title, run.Lines);
            var html = run.Html.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("id") == table.Id);
            Assert.Equal(table.Title, html.Element(Xhtml + "caption")!.Value);
            Assert.Equal(table.Headers, html.Descendants(Xhtml + "th").Select(h => h.Value));
            Assert.Equal(table.Rows.Select(r => string.Join('|', r)), html.Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr").Select(r => string.Join('|', r.Elements().Select(c => c.Value))));
            Assert.All(table.Notes, n => Assert.Contains(html.ElementsAfterSelf(Xhtml + "p"), p => p.Value == n));

            // The terminal's rows: the same cells, text cut with an ellipsis where the width demanded it, numbers never.
            var printed = run.Lines.SkipWhile(l => l != table.Title).Skip(3).Take(table.Rows.Count).ToList();
            Assert.Equal(table.Rows.Count, printed.Count);
            var shown = Enumerable.Range(0, table.Headers.Count).Where(i => !table.IsHtmlOnly(i)).ToList();
            foreach (var (row, line) in table.Rows.Zip(printed))
            {
                var rest = line;
                foreach (var cell in shown.Select(i => row[i]))
                {
                    var at = Math.Max(0, rest.Length - rest.TrimStart().Length);
                    rest = rest[at..];
                    if (rest.StartsWith(cell, StringComparison.Ordinal))
                    {
                        rest = rest[cell.Length..];
                        continue;
                    }

                    var cut = rest.IndexOf(ReportTable.Ellipsis, StringComparison.Ordinal);
                    Assert.True(cut > 0 && cell.StartsWith(rest[..cut], StringComparison.Ordinal) && !double.TryParse(cell, NumberStyles.Any, CultureInfo.InvariantCulture, out _),
                        $"{table.Title}: '{cell}' is not printed in\n{line}");
                    rest = rest[(cut + 1)..];
                }

                Assert.True(rest.Trim().Length == 0, line);
            }
        }
    }

    [Fact]
    public void The_funnel_only_narrows_and_the_terminal_and_the_page_count_it_alike()
    {
        var funnel = run.Result.Pipeline.Funnel;
        Assert.Equal(9, funnel.Count); // eight open stages, then Closed Won
        Assert.All(funnel.Zip(funnel.Skip(1)), p => Assert.True(p.First.ReachedOrPassed >= p.Second.ReachedOrPassed, $"{p.First} then {p.Second}"));
        Assert.Equal(run.Result.Pipeline.Report.WonCount, funnel[^1].ReachedOrPassed);
        // Every deal that was ever in an open or won stage is counted at the first stage.
        Assert.True(funnel[0].ReachedOrPassed >= run.Result.Pipeline.Report.OpenCount + run.Result.Pipeline.Report.WonCount);
        // Each analytics "reached" is within the funnel's "reached or passed" (reaching a stage is one way of getting that far).
        Assert.All(run.Result.Pipeline.Report.Stages, s => Assert.True(s.Reached <= funnel.Single(f => f.StageName == s.StageName).ReachedOrPassed, s.StageName));

        var bars = Rows(SampleChecks.Chart(run.Html, "funnel")).Select(g => (
            Label: g.Element(Svg + "text")!.Value,
            Width: double.Parse((string)g.Element(Svg + "rect")!.Attribute("width")!, CultureInfo.InvariantCulture),
            Value: Value(g))).ToList();
        Assert.Equal(funnel.Select(f => f.StageName), bars.Select(b => b.Label));
        Assert.All(bars.Zip(bars.Skip(1)), p => Assert.True(p.First.Width >= p.Second.Width));
        Assert.Equal(funnel.Select(f => $"{Format.Count(f.ReachedOrPassed)} · {Format.Percent(f.ShareOfFirst)} of first"), bars.Select(b => b.Value));
        Assert.All(funnel, f => SampleChecks.AssertRow(run.Lines, [f.StageName, Format.Count(f.ReachedOrPassed), Format.Percent(f.ShareOfFirst), .. StageCells(f.StageName)]));
    }

    [Fact]
    public void Every_chart_has_a_title_saying_what_it_counts_a_ticked_axis_with_a_unit_and_its_values_printed()
    {
        var charts = run.Html.Descendants(Svg + "svg").ToList();
        Assert.Equal(["funnel", "pipeline", "stage-days", "deal-sizes", "forecast", "lead-sources", "owner-performance", "account-health"], charts.Select(c => (string?)c.Attribute("id")));
        foreach (var chart in charts)
        {
            var id = (string)chart.Attribute("id")!;
            Assert.Matches(@"^[A-Z][^:]+: .{20,}$", chart.Element(Svg + "title")!.Value);
            Assert.Matches(@"^0 0 [\d.]+ [\d.]+$", (string)chart.Attribute("viewBox")!);
            var ticks = chart.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick").Select(t => t.Value).ToList();
            Assert.True(ticks.Count >= 2, id);
            Assert.Equal("0", ticks[0].TrimEnd('%'));
            Assert.Matches(@"\(.+\)|days", chart.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "axis-title").Value);
            var rows = Rows(chart).ToList();
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Matches(@"\d", Value(r)));
            Assert.Contains(rows.SelectMany(r => r.Elements(Svg + "rect")), r => double.Parse((string)r.Attribute("width")!, CultureInfo.InvariantCulture) > 0);

            // The section above each chart says what is counted and links its definitions.
            var heading = chart.ElementsBeforeSelf(Xhtml + "h2").Last();
            Assert.Contains(":", heading.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_forecast_shows_the_open_pipeline_forward_and_the_past_as_one_closed_line()
    {
        var today = new DateOnly(2026, 6, 30);
        var forecast = run.Result.Pipeline.Report.Forecast;
        var forward = forecast.Where(p => p.End >= today).ToList();
        Assert.True(forecast.Count > forward.Count + 12, "the demo org has two years of closed months");
        Assert.Equal(forward.Select(p => p.Period), Rows(SampleChecks.Chart(run.Html, "forecast")).Select(r => r.Element(Svg + "text")!.Value));
        Assert.Equal("2026-06", forward[0].Period);
        var table = run.Result.Tables.Single(t => t.Id == "forecast-table");
        Assert.Equal(forward.Count, table.Rows.Count);
        var closed = run.Result.Pipeline.ClosedSummary();
        Assert.Equal((run.Result.Pipeline.Report.WonCount, run.Result.Pipeline.Report.LostCount), (closed.Won.Count, closed.Lost.Count));
        Assert.StartsWith($"Closed {closed.First} to {closed.Last}: won {Format.Money(closed.Won.Amount)} in {Format.Deals(closed.Won.Count)}", table.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_definition_link_points_at_a_heading_of_the_repository()
    {
        var links = run.Html.Descendants(Xhtml + "a").Select(a => (string)a.Attribute("href")!).ToList();
        Assert.Equal(Definitions.All.Select(d => d.Path + "#" + d.Anchor).Order(), links.Select(l => Regex.Replace(l, @"^.*?(?=(docs|samples)/)", "")).Distinct().Order());
        foreach (var link in links.Distinct())
        {
            var (file, anchor) = (link[..link.IndexOf('#', StringComparison.Ordinal)], link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..]);
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(run.HtmlPath)!, file));
            Assert.True(File.Exists(path), $"{link}: {path} does not exist");
            var anchors = File.ReadLines(path).Where(l => l.StartsWith('#')).Select(Slug).ToList();
            Assert.True(anchors.Contains(anchor), $"{link}: no heading with that anchor in {path} ({string.Join(", ", anchors)})");
        }
    }

    /// <summary>GitHub's heading anchor: the text in lower case, punctuation but '-' and '_' dropped, spaces as '-'.</summary>
    private static string Slug(string heading)
    {
        var text = heading.TrimStart('#').Trim().ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    private string[] StageCells(string stage) =>
        run.Result.Pipeline.Report.Stages.SingleOrDefault(s => s.StageName == stage) is { } s
            ? [Format.Count(s.Reached), Format.Count(s.Advanced), Format.Percent(s.ConversionRate), Format.Days(s.MeanDays), Format.Days(s.MedianDays)]
            : ["-", "-", "-", "-", "-"];

    private static IEnumerable<XElement> Rows(XElement chart) => chart.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "row");

    private static string Value(XElement row) => row.Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "value").Value;
}
