using System.Globalization;
using System.Text;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>One bar (or one part of a stacked bar) of a <see cref="SvgChart"/> row.</summary>
/// <param name="Start">Where it starts on the value axis (0, or the end of the part before it when stacked).</param>
/// <param name="Value">Its length on the value axis.</param>
/// <param name="Colour">Its fill.</param>
/// <param name="Thin">True for a thinner bar drawn over the full one (a second measure, such as the weighted amount).</param>
/// <param name="Title">Its tooltip; null for none.</param>
public sealed record ChartMark(double Start, double Value, string Colour, bool Thin = false, string? Title = null);

/// <summary>One row of a <see cref="SvgChart"/>: a label left of the axis, its bars, and its values printed right of them.</summary>
/// <param name="Label">What the row is (a stage, a month, an owner).</param>
/// <param name="Marks">Its bars.</param>
/// <param name="ValueText">Its numbers, printed at the end of the longest bar.</param>
public sealed record ChartRow(string Label, IReadOnlyList<ChartMark> Marks, string ValueText);

/// <summary>A legend entry: a colour and what it stands for.</summary>
/// <param name="Colour">The fill.</param>
/// <param name="Text">What it means.</param>
public sealed record LegendKey(string Colour, string Text);

/// <summary>
/// Horizontal bar charts as inline SVG: labels on the left, bars on a value axis with ticks and a titled unit, the values
/// printed at the end of each bar, a legend. Every text's room is measured from its length (generous per-character widths
/// for a 12-pixel sans-serif font), and the SVG has a viewBox, so the page scales it down as a whole instead of clipping.
/// </summary>
public static class SvgChart
{
    /// <summary>The height of a row.</summary>
    public const int RowHeight = 26;

    /// <summary>The widest a chart is drawn before the page scales it (its plot grows to fill it).</summary>
    public const int PreferredWidth = 860;

    private const int Pad = 8;
    private const int BarHeight = 18;
    private const int ThinHeight = 8;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// A generous estimate of how wide <paramref name="text"/> is at 12px in a sans-serif font (DejaVu Sans, Arial, Segoe UI),
    /// in pixels: wide letters count as wide, so a label never runs past the room measured for it.
    /// </summary>
    public static double TextWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double width = 0;
        foreach (var c in text)
        {
            width += c switch
            {
                'm' or 'w' or 'M' or 'W' or '%' or '@' or '—' => 11.5,
                'i' or 'l' or 'j' or 'I' or '.' or ',' or ':' or ';' or '|' or '!' or '\'' or '·' or ' ' or '(' or ')' or '/' or '-' => 4.5,
                'f' or 'r' or 't' => 5.5,
                >= '0' and <= '9' => 7.7,
                >= 'A' and <= 'Z' => 9,
                >= 'a' and <= 'z' => 7.4,
                _ => 9,
            };
        }

        return width;
    }

    /// <summary>A step of 1, 2 or 5 times a power of ten that cuts <paramref name="max"/> into about five ticks.</summary>
    public static double NiceStep(double max)
    {
        if (max <= 0 || double.IsNaN(max) || double.IsInfinity(max))
        {
            return 1;
        }

        var raw = max / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    /// <summary>
    /// Appends a horizontal bar chart.
    /// </summary>
    /// <param name="html">The page.</param>
    /// <param name="id">The SVG's id.</param>
    /// <param name="title">What the chart counts (the SVG's title, read by screen readers and shown as a tooltip).</param>
    /// <param name="axisTitle">The value axis' title with its unit, for example <c>amount (org currency)</c>.</param>
    /// <param name="tick">How a tick's value is written.</param>
    /// <param name="rows">The rows, top to bottom.</param>
    /// <param name="legend">The legend; empty for none.</param>
    public static void HorizontalBars(StringBuilder html, string id, string title, string axisTitle, Func<double, string> tick, IReadOnlyList<ChartRow> rows, IReadOnlyList<LegendKey> legend)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(legend);
        var max = rows.SelectMany(r => r.Marks).Select(m => m.Start + m.Value).DefaultIfEmpty(0).Max();
        var step = NiceStep(max);
        var ticks = (int)Math.Max(1, Math.Ceiling((max / step) - 1e-9));
        var axisMax = ticks * step;
        var tickTexts = Enumerable.Range(0, ticks + 1).Select(i => tick(i * step)).ToList();

        var labelWidth = Math.Ceiling(rows.Select(r => TextWidth(r.Label)).DefaultIfEmpty(0).Max()) + 12;
        labelWidth = Math.Max(labelWidth, Math.Ceiling(TextWidth(tickTexts[0]) / 2) + 4);
        var valueWidth = Math.Ceiling(Math.Max(rows.Select(r => TextWidth(r.ValueText)).DefaultIfEmpty(0).Max() + 10, (TextWidth(tickTexts[^1]) / 2) + 4));
        var plot = Math.Max(240, PreferredWidth - (2 * Pad) - labelWidth - valueWidth);
        var width = (2 * Pad) + labelWidth + plot + valueWidth;
        var x0 = Pad + labelWidth;
        double X(double value) => x0 + (axisMax <= 0 ? 0 : plot * value / axisMax);

        var axisY = Pad + (Math.Max(1, rows.Count) * RowHeight);
        var legendLines = LayoutLegend(legend, x0, width - Pad);
        var height = axisY + 40 + (legendLines.Count == 0 ? 0 : 6 + (legendLines.Max(k => k.Line) + 1) * 20);

        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"").Append(HtmlReport.Esc(id)).Append("\" role=\"img\" width=\"").Append(N(width))
            .Append("\" height=\"").Append(N(height)).Append("\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(height)).Append("\">\n<title>")
            .Append(HtmlReport.Esc(title)).Append("</title>\n");

        // Grid and ticks first, so that bars and texts are drawn over them.
        html.Append("<g class=\"axis\">\n");
        for (var i = 0; i <= ticks; i++)
        {
            var x = N(X(i * step));
            html.Append("<line x1=\"").Append(x).Append("\" y1=\"").Append(Pad - 2).Append("\" x2=\"").Append(x).Append("\" y2=\"").Append(axisY + 4)
                .Append("\" stroke=\"").Append(i == 0 ? "#6b7280" : "#e5e7eb").Append("\" />\n")
                .Append("<text class=\"tick\" x=\"").Append(x).Append("\" y=\"").Append(axisY + 17).Append("\" text-anchor=\"middle\">")
                .Append(HtmlReport.Esc(tickTexts[i])).Append("</text>\n");
        }

        html.Append("<line x1=\"").Append(N(x0)).Append("\" y1=\"").Append(axisY).Append("\" x2=\"").Append(N(x0 + plot)).Append("\" y2=\"").Append(axisY).Append("\" stroke=\"#6b7280\" />\n")
            .Append("<text class=\"axis-title\" x=\"").Append(N(x0 + (plot / 2))).Append("\" y=\"").Append(axisY + 34).Append("\" text-anchor=\"middle\">")
            .Append(HtmlReport.Esc(axisTitle)).Append("</text>\n</g>\n");

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var y = Pad + (r * RowHeight);
            html.Append("<g class=\"row\">\n<text class=\"label\" x=\"").Append(N(x0 - 8)).Append("\" y=\"").Append(y + 16).Append("\" text-anchor=\"end\">")
                .Append(HtmlReport.Esc(row.Label)).Append("</text>\n");
            foreach (var mark in row.Marks)
            {
                var top = mark.Thin ? y + ((BarHeight - ThinHeight) / 2) + 2 : y + 2;
                html.Append("<rect x=\"").Append(N(X(mark.Start))).Append("\" y=\"").Append(top).Append("\" width=\"").Append(N(Math.Max(0, X(mark.Start + mark.Value) - X(mark.Start))))
                    .Append("\" height=\"").Append(mark.Thin ? ThinHeight : BarHeight).Append("\" fill=\"").Append(mark.Colour).Append('"');
                if (mark.Title is null)
                {
                    html.Append(" />\n");
                }
                else
                {
                    html.Append("><title>").Append(HtmlReport.Esc(mark.Title)).Append("</title></rect>\n");
                }
            }

            var end = row.Marks.Select(m => m.Start + m.Value).DefaultIfEmpty(0).Max();
            html.Append("<text class=\"value\" x=\"").Append(N(X(end) + 6)).Append("\" y=\"").Append(y + 16).Append("\">").Append(HtmlReport.Esc(row.ValueText)).Append("</text>\n</g>\n");
        }

        foreach (var (key, x, line) in legendLines)
        {
            var y = axisY + 46 + (line * 20);
            html.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(y).Append("\" width=\"12\" height=\"12\" fill=\"").Append(key.Colour).Append("\" />\n")
                .Append("<text class=\"legend\" x=\"").Append(N(x + 16)).Append("\" y=\"").Append(y + 11).Append("\">").Append(HtmlReport.Esc(key.Text)).Append("</text>\n");
        }

        html.Append("</svg>\n");
    }

    private static List<(LegendKey Key, double X, int Line)> LayoutLegend(IReadOnlyList<LegendKey> legend, double start, double right)
    {
        var placed = new List<(LegendKey, double, int)>();
        var x = start;
        var line = 0;
        foreach (var key in legend)
        {
            var width = 16 + TextWidth(key.Text) + 18;
            if (x > start && x + width > right)
            {
                x = start;
                line++;
            }

            placed.Add((key, x, line));
            x += width;
        }

        return placed;
    }

    private static string N(double value) => value.ToString("0.##", Invariant);
}
