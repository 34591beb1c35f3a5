using System.Globalization;
using System.Net;
using System.Text;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>A definition the report links to: a Markdown file of the repository and a heading's anchor in it.</summary>
/// <param name="Path">The file, relative to the repository root, with <c>/</c>.</param>
/// <param name="Anchor">The heading's anchor (GitHub's: lower case, punctuation dropped, spaces as <c>-</c>).</param>
public sealed record Definition(string Path, string Anchor);

/// <summary>Where the report's figures are defined: the sample's README and the analytics guide.</summary>
public static class Definitions
{
    private const string Sample = "samples/Atom.Salesforce.Samples.PipelineReport/README.md";
    private const string Analytics = "docs/analytics.md";

    /// <summary>The funnel (reached or passed).</summary>
    public static Definition Funnel { get; } = new(Sample, "funnel-reached-or-passed");

    /// <summary>Open and weighted pipeline, stages, days per stage, deal sizes.</summary>
    public static Definition Pipeline { get; } = new(Analytics, "pipeline");

    /// <summary>The forecast by close month.</summary>
    public static Definition Forecast { get; } = new(Sample, "forecast-open-pipeline-forward");

    /// <summary>The bottleneck rule.</summary>
    public static Definition Bottlenecks { get; } = new(Analytics, "bottleneck-stages-the-rule");

    /// <summary>At-risk deals.</summary>
    public static Definition AtRisk { get; } = new(Sample, "at-risk-deals");

    /// <summary>Lead sources, aging and conversion.</summary>
    public static Definition Leads { get; } = new(Analytics, "leads");

    /// <summary>Lead scoring accuracy.</summary>
    public static Definition LeadScoring { get; } = new(Analytics, "lead-scoring");

    /// <summary>The win probability model.</summary>
    public static Definition WinProbability { get; } = new(Analytics, "opportunity-win-probability-winprobabilityscoring");

    /// <summary>Account health and churn risk.</summary>
    public static Definition Accounts { get; } = new(Analytics, "accounts");

    /// <summary>Owner and team performance.</summary>
    public static Definition Performance { get; } = new(Analytics, "performance");

    /// <summary>Every definition the report links to.</summary>
    public static IReadOnlyList<Definition> All { get; } = [Funnel, Pipeline, Forecast, Bottlenecks, AtRisk, Leads, LeadScoring, WinProbability, Accounts, Performance];
}

/// <summary>
/// The report as one self-contained HTML page: inline CSS and inline SVG charts, no script and nothing fetched, so it
/// opens offline. The markup is also well-formed XML (XHTML-compatible), and every text is escaped. It holds every table
/// the terminal prints, each cell in full, and links each section to where its figures are defined.
/// </summary>
public static class HtmlReport
{
    private const string RepoLink = "href=\"repo:";

    /// <summary>Writes the page to <paramref name="path"/> (UTF-8), creating its directory when needed.</summary>
    /// <param name="path">The file.</param>
    /// <param name="body">Appends the page's sections.</param>
    /// <param name="source">Where the data comes from.</param>
    /// <param name="generatedAt">The report's moment.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(string path, Action<StringBuilder> body, string source, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(full, Render(body, source, generatedAt, RepositoryLinkBase(directory)), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The page's markup. Definition links are relative to <paramref name="linkBase"/> (the repository root as seen from the
    /// page's folder, ending in <c>/</c>, or empty when the page is in the root).
    /// </summary>
    public static string Render(Action<StringBuilder> body, string source, DateTimeOffset generatedAt, string linkBase = "")
    {
        ArgumentNullException.ThrowIfNull(body);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>Pipeline report</title>\n<style>\n")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:60rem;color:#1f2937;padding:0 1rem}\n")
            .Append("h1{margin-bottom:.25rem}.meta,.note{color:#6b7280;margin-top:.25rem}h2{margin-top:2.2rem;margin-bottom:.3rem}\n")
            .Append(".def{font-size:.85rem;margin:0 0 .6rem}\n")
            .Append(".cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #e5e7eb;border-radius:.5rem;padding:.6rem .9rem;min-width:9rem}\n")
            .Append(".card b{display:block;font-size:1.3rem}.card span{color:#6b7280;font-size:.85rem}\n")
            .Append("table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.8rem 0}caption{text-align:left;font-weight:600;padding:.3rem 0}\n")
            .Append("th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top;overflow-wrap:anywhere}\n")
            .Append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}\n")
            .Append("svg.chart{display:block;max-width:100%;height:auto;margin:.5rem 0}\n")
            .Append("svg text{font-size:12px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;fill:#374151}svg text.axis-title{fill:#6b7280}\n")
            .Append("</style>\n</head>\n<body>\n");

        html.Append("<h1>Pipeline report</h1>\n<p class=\"meta\">")
            .Append(Esc($"{source} · generated {generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}"))
            .Append("</p>\n");
        body(html);
        html.Append("</body>\n</html>\n");
        return html.Replace(RepoLink, "href=\"" + linkBase).ToString();
    }

    /// <summary>Appends a section heading and, under it, the link to where its figures are defined.</summary>
    public static void Section(StringBuilder html, string title, Definition definition)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(definition);
        html.Append("<h2>").Append(Esc(title)).Append("</h2>\n<p class=\"def\">Definitions: <a ").Append(RepoLink).Append(Esc(definition.Path)).Append('#')
            .Append(Esc(definition.Anchor)).Append("\">").Append(Esc(definition.Path)).Append('#').Append(Esc(definition.Anchor)).Append("</a></p>\n");
    }

    /// <summary>Appends a headline card.</summary>
    public static void Card(StringBuilder html, string label, string value)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append("<div class=\"card\"><b>").Append(Esc(value)).Append("</b><span>").Append(Esc(label)).Append("</span></div>\n");
    }

    /// <summary>HTML-escapes a text (also valid XML: only &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric references).</summary>
    public static string Esc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// The repository root as a relative link from <paramref name="directory"/> (ending in <c>/</c>), when this program runs
    /// from a build inside the repository (found upwards from the program's folder, by Atom.Salesforce.Client.sln); else
    /// empty, so that links read as paths in the repository.
    /// </summary>
    public static string RepositoryLinkBase(string directory)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Atom.Salesforce.Client.sln")))
            {
                var relative = Path.GetRelativePath(directory, dir.FullName).Replace('\\', '/');
                return relative == "." ? "" : relative.TrimEnd('/') + "/";
            }
        }

        return "";
    }
}
