using System.Text;
using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>One step of the funnel: the deals that reached a stage or went further.</summary>
/// <param name="StageName">The stage (an open stage, or the won stage last).</param>
/// <param name="ReachedOrPassed">Deals whose furthest open or won stage is this one or a later one.</param>
/// <param name="ShareOfFirst">That count as a share of the first step's; null when the first step has none.</param>
public sealed record FunnelStep(string StageName, int ReachedOrPassed, double? ShareOfFirst);

/// <summary>The closed past, summarised under the forecast.</summary>
/// <param name="First">The first close month of a closed deal (<c>yyyy-MM</c>); null when none closed.</param>
/// <param name="Last">The last close month of a closed deal.</param>
/// <param name="Won">Won deals: count and amount.</param>
/// <param name="Lost">Lost deals: count and amount.</param>
/// <param name="Overdue">Open deals in forecast periods that ended before today: count and amount.</param>
public sealed record ClosedSummary(string? First, string? Last, (int Count, double Amount) Won, (int Count, double Amount) Lost, (int Count, double Amount) Overdue);

/// <summary>The pipeline part of the report: tables for the terminal and the HTML, and the pipeline charts.</summary>
/// <param name="Report">The analytics' pipeline report.</param>
/// <param name="Funnel">The funnel, one step per open stage then the won stage.</param>
/// <param name="Org">The loaded org (names of deals and owners).</param>
/// <param name="Today">The report's today: forecast periods ending before it are summarised as closed.</param>
public sealed record PipelineSection(PipelineReport Report, IReadOnlyList<FunnelStep> Funnel, OrgData Org, DateOnly Today)
{
    /// <summary>The open pipeline table's title.</summary>
    public const string PipelineTitle = "Open pipeline by stage";

    /// <summary>The summary table's title.</summary>
    public const string SummaryTitle = "Summary";

    /// <summary>The deal size table's title.</summary>
    public const string DealSizeTitle = "Won deal sizes";

    /// <summary>The funnel and days-per-stage table's title.</summary>
    public const string StagesTitle = "Funnel and days per stage";

    /// <summary>The at-risk table's title.</summary>
    public const string AtRiskTitle = "Top at-risk deals";

    /// <summary>The forecast table's title.</summary>
    public const string ForecastTitle = "Forecast: open pipeline by close month";

    /// <summary>The bottleneck table's title.</summary>
    public const string BottlenecksTitle = "Bottleneck stages";

    private const string Primary = "#2563eb";
    private const string Accent = "#f59e0b";

    /// <summary>The colour of each forecast category, in <see cref="ForecastCategories.All"/> order.</summary>
    public static IReadOnlyList<string> ForecastColors { get; } = ["#93c5fd", "#60a5fa", Primary, "#16a34a", "#9ca3af"];

    /// <summary>The forecast categories of open deals: Pipeline, Best Case, Commit (the first three of <see cref="ForecastCategories.All"/>).</summary>
    public static IReadOnlyList<string> OpenCategories { get; } = [.. ForecastCategories.All.Take(3)];

    /// <summary>The forecast periods from today's on, whose open deals the forecast shows.</summary>
    public IReadOnlyList<ForecastPeriod> ForwardPeriods => [.. Report.Forecast.Where(p => p.End >= Today)];

    /// <summary>
    /// The funnel of <paramref name="org"/>: for each open stage in order, then the won stage(s), the deals whose furthest
    /// open or won stage (their current stage and every stage in their history) is that stage or a later one. A deal lost
    /// at Proposal counts at every stage up to Proposal; a won deal counts everywhere. So the counts can only narrow, unlike
    /// the analytics' "reached" (a deal that skipped a stage never reached it).
    /// </summary>
    public static IReadOnlyList<FunnelStep> ComputeFunnel(OrgData org)
    {
        ArgumentNullException.ThrowIfNull(org);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var progress = new List<StageDefinition>();
        foreach (var stage in org.Opportunities.Stages.Where(s => !s.IsClosed || s.IsWon))
        {
            order[stage.Name] = progress.Count;
            progress.Add(stage);
        }

        var furthest = org.Data.Opportunities.ToDictionary(o => o.Id, o => order.GetValueOrDefault(o.StageName, -1), StringComparer.Ordinal);
        foreach (var row in org.Data.OpportunityHistory)
        {
            if (furthest.TryGetValue(row.OpportunityId, out var current) && order.TryGetValue(row.StageName, out var stage) && stage > current)
            {
                furthest[row.OpportunityId] = stage;
            }
        }

        var counts = new int[progress.Count];
        foreach (var value in furthest.Values.Where(v => v >= 0))
        {
            counts[value]++;
        }

        // Reached or passed: the deals that got this far or further, summed from the last stage back.
        for (var s = counts.Length - 2; s >= 0; s--)
        {
            counts[s] += counts[s + 1];
        }

        return [.. progress.Select((s, i) => new FunnelStep(s.Name, counts[i], counts.Length == 0 || counts[0] == 0 ? null : counts[i] / (double)counts[0]))];
    }

    /// <summary>The tables, in the order the terminal prints them; the HTML holds the same.</summary>
    public IReadOnlyList<ReportTable> Tables() => [PipelineTable(), SummaryTable(), DealSizeTable(), StagesTable(), BottleneckTable(), ForecastTable(), AtRiskTable()];

    /// <summary>The open pipeline per stage.</summary>
    public ReportTable PipelineTable()
    {
        var table = new ReportTable("pipeline-table", PipelineTitle, "Stage", ">Deals", ">Amount", ">Weighted");
        foreach (var group in Report.Groups)
        {
            table.Add(group.Key ?? "(none)", Format.Count(group.Count), Format.Money(group.Amount), Format.Money(group.WeightedAmount));
        }

        return table.AddStyled("bold", "Total", Format.Count(Report.OpenCount), Format.Money(Report.OpenAmount), Format.Money(Report.WeightedAmount));
    }

    /// <summary>The headline figures.</summary>
    public ReportTable SummaryTable() =>
        new ReportTable("summary", SummaryTitle, "Metric", ">Value")
            .Add("Deals in scope", Format.Count(Report.Count))
            .Add("Open / won / lost", $"{Format.Count(Report.OpenCount)} / {Format.Count(Report.WonCount)} / {Format.Count(Report.LostCount)}")
            .Add("Win rate", Format.Percent(Report.WinRate))
            .Add("Sales cycle, mean days", Format.Days(Report.SalesCycle.MeanDays))
            .Add("Sales cycle, median days", Format.Days(Report.SalesCycle.MedianDays))
            .Add("Velocity, amount per day", Format.Money(Report.Velocity))
            .Add("At-risk deals", Format.Count(Report.AtRiskCount))
            .Add("At-risk amount", Format.Money(Report.AtRiskAmount));

    /// <summary>The won deal size distribution.</summary>
    public ReportTable DealSizeTable()
    {
        var sizes = Report.DealSizes;
        return new ReportTable("deal-size-table", DealSizeTitle, ">Deals", ">Mean", ">P25", ">P50", ">P75", ">P90")
            .Add(Format.Count(sizes.Count), Format.Money(sizes.Mean), Format.Money(sizes.P25), Format.Money(sizes.P50), Format.Money(sizes.P75), Format.Money(sizes.P90));
    }

    /// <summary>The funnel (reached or passed) next to the analytics' per-stage reached, advanced, conversion and days.</summary>
    public ReportTable StagesTable()
    {
        var table = new ReportTable("stages", StagesTitle, "Stage", ">Reached or passed", ">Of first", ">Reached", ">Advanced", ">Conversion", ">Mean days", ">Median days");
        var metrics = Report.Stages.ToDictionary(s => s.StageName, StringComparer.Ordinal);
        foreach (var step in Funnel)
        {
            if (metrics.TryGetValue(step.StageName, out var stage))
            {
                table.Add(step.StageName, Format.Count(step.ReachedOrPassed), Format.Percent(step.ShareOfFirst), Format.Count(stage.Reached), Format.Count(stage.Advanced),
                    Format.Percent(stage.ConversionRate), Format.Days(stage.MeanDays), Format.Days(stage.MedianDays));
            }
            else
            {
                table.Add(step.StageName, Format.Count(step.ReachedOrPassed), Format.Percent(step.ShareOfFirst), "-", "-", "-", "-", "-");
            }
        }

        return table.Note("Reached or passed: deals whose furthest stage is this one or later (the funnel). Reached: deals that were in the stage. "
                          + "Advanced: deals that reached it and later a further open or won stage; conversion is advanced ÷ reached.");
    }

    /// <summary>The bottleneck stages with their reasons.</summary>
    public ReportTable BottleneckTable()
    {
        var table = new ReportTable("bottlenecks", BottlenecksTitle, ">Rank", "Stage", ">Score", ">Open deals", ">Open amount", "Why");
        foreach (var stage in Report.Bottlenecks)
        {
            table.Add(Format.Count(stage.Rank), stage.StageName, Format.Score(stage.Score), Format.Count(stage.OpenCount), Format.Money(stage.OpenAmount),
                string.Join("; ", stage.Reasons.Select(Format.Reason)));
        }

        return table;
    }

    /// <summary>The open pipeline from this month on by category; what closed before, and what is overdue, in two notes.</summary>
    public ReportTable ForecastTable()
    {
        var table = new ReportTable("forecast-table", ForecastTitle, ["Close month", .. OpenCategories.Select(c => ">" + c), ">Open amount", ">Open deals", ">Weighted"]);
        foreach (var period in ForwardPeriods)
        {
            var open = period.Categories.Take(3).ToList();
            table.Add([period.Period, .. open.Select(c => Format.Money(c.Amount)), Format.Money(open.Sum(c => c.Amount)), Format.Count(open.Sum(c => c.Count)),
                Format.Money(open.Sum(c => c.WeightedAmount))]);
        }

        var closed = ClosedSummary();
        table.Note(closed.Won.Count + closed.Lost.Count == 0
            ? "Closed: none yet."
            : $"Closed {closed.First} to {closed.Last}: won {Format.Money(closed.Won.Amount)} in {Format.Deals(closed.Won.Count)}, "
              + $"lost {Format.Money(closed.Lost.Amount)} in {Format.Deals(closed.Lost.Count)}.");
        if (closed.Overdue.Count > 0)
        {
            table.Note($"Open deals with a close date in a past month (overdue, in no row above): {Format.Money(closed.Overdue.Amount)} in {Format.Deals(closed.Overdue.Count)}.");
        }

        return table;
    }

    /// <summary>
    /// The past as one summary: won and lost deals (count and amount) with the first and last close month among them, and the
    /// open deals in forecast periods that ended before today (overdue, left out of the forward rows).
    /// </summary>
    public ClosedSummary ClosedSummary()
    {
        var closed = Org.Data.Opportunities.Where(o => o.IsClosed).ToList();
        var won = closed.Where(o => o.IsWon).ToList();
        var lost = closed.Where(o => !o.IsWon).ToList();
        var overdue = Report.Forecast.Where(p => p.End < Today).SelectMany(p => p.Categories.Take(3)).ToList();
        return new ClosedSummary(
            closed.Count == 0 ? null : closed.Min(o => o.CloseDate).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            closed.Count == 0 ? null : closed.Max(o => o.CloseDate).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            (won.Count, won.Sum(o => (double)(o.Amount ?? 0))), (lost.Count, lost.Sum(o => (double)(o.Amount ?? 0))),
            (overdue.Sum(c => c.Count), overdue.Sum(c => c.Amount)));
    }

    /// <summary>The at-risk deals by name, with their owner.</summary>
    public ReportTable AtRiskTable()
    {
        var owners = Org.Data.Opportunities.ToDictionary(o => o.Id, o => o.OwnerId, StringComparer.Ordinal);
        var table = new ReportTable("at-risk", AtRiskTitle, "Opportunity", "#Id", "Owner", "Stage", ">Amount", "Close date", ">In stage", ">Pushes", ">Overdue", "Reasons");
        foreach (var deal in Report.AtRisk)
        {
            table.Add(OpportunityName(deal.OpportunityId), deal.OpportunityId, OwnerName(owners.GetValueOrDefault(deal.OpportunityId)), deal.StageName, Format.Money(deal.Amount),
                Format.Date(deal.CloseDate), Format.Count(deal.DaysSinceStageChange), Format.Count(deal.CloseDatePushes), Format.Count(deal.DaysOverdue), Format.Reasons(deal.Reasons));
        }

        return table.Note("In stage: days since the deal entered its stage. Pushes: times its close date moved later. Overdue: days past its close date.");
    }

    /// <summary>A deal's name, else its id.</summary>
    public string OpportunityName(string id) => Org.OpportunityNames.GetValueOrDefault(id) ?? id;

    /// <summary>A user's name, else the id; <c>-</c> for none.</summary>
    public string OwnerName(string? id) => id is null ? "-" : Org.UserNames.GetValueOrDefault(id) ?? id;

    /// <summary>The pipeline's charts and tables for report.html.</summary>
    public void AppendHtml(StringBuilder html, IReadOnlyList<ReportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(tables);
        ReportTable Table(string id) => tables.Single(t => t.Id == id);

        HtmlReport.Section(html, "Funnel: deals that reached or passed each stage", Definitions.Funnel);
        SvgChart.HorizontalBars(html, "funnel", "Funnel: opportunities whose furthest stage is this stage or a later one",
            "opportunities (count)", v => Format.Compact(v),
            [.. Funnel.Select(s => new ChartRow(s.StageName, [new ChartMark(0, s.ReachedOrPassed, Primary)],
                $"{Format.Count(s.ReachedOrPassed)} · {Format.Percent(s.ShareOfFirst)} of first"))], []);
        Table("stages").AppendHtml(html);

        HtmlReport.Section(html, "Open pipeline by stage: amount and weighted amount", Definitions.Pipeline);
        SvgChart.HorizontalBars(html, "pipeline", "Open pipeline by stage: amount of open opportunities and their probability-weighted amount",
            "amount (org currency)", v => Format.Compact(v),
            [.. Report.Groups.Select(g => new ChartRow(g.Key ?? "(none)", [new ChartMark(0, g.Amount, Primary), new ChartMark(0, g.WeightedAmount, Accent, Thin: true)],
                $"{Format.Money(g.Amount)} in {Format.Deals(g.Count)} · weighted {Format.Money(g.WeightedAmount)}"))],
            [new LegendKey(Primary, "amount"), new LegendKey(Accent, "weighted amount (amount × probability)")]);
        Table("pipeline-table").AppendHtml(html);
        Table("summary").AppendHtml(html);

        HtmlReport.Section(html, "Days per stage: completed stays", Definitions.Pipeline);
        SvgChart.HorizontalBars(html, "stage-days", "Days per stage: mean and median days of completed stays in each open stage",
            "days in the stage", v => Format.Compact(v),
            [.. Report.Stages.Select(s => new ChartRow(s.StageName, [new ChartMark(0, s.MeanDays ?? 0, Primary), new ChartMark(0, s.MedianDays ?? 0, Accent, Thin: true)],
                $"mean {Format.Days(s.MeanDays)} · median {Format.Days(s.MedianDays)}"))],
            [new LegendKey(Primary, "mean days"), new LegendKey(Accent, "median days")]);

        HtmlReport.Section(html, "Won deal sizes: won opportunities per amount range", Definitions.Pipeline);
        SvgChart.HorizontalBars(html, "deal-sizes", "Won deal sizes: how many won opportunities have an amount in each range",
            "won opportunities (count)", v => Format.Compact(v),
            [.. Report.DealSizes.Bins.Select(b => new ChartRow(Format.Bin(b), [new ChartMark(0, b.Count, Primary)], Format.Count(b.Count)))], []);
        Table("deal-size-table").AppendHtml(html);

        HtmlReport.Section(html, "Forecast: open pipeline by close month", Definitions.Forecast);
        SvgChart.HorizontalBars(html, "forecast", "Forecast: amount of open opportunities by close month, stacked by forecast category",
            "open amount (org currency)", v => Format.Compact(v),
            [.. ForwardPeriods.Select(ForecastRow)],
            [.. OpenCategories.Select((c, i) => new LegendKey(ForecastColors[i], c))]);
        Table("forecast-table").AppendHtml(html);

        HtmlReport.Section(html, BottlenecksTitle, Definitions.Bottlenecks);
        Table("bottlenecks").AppendHtml(html);
        HtmlReport.Section(html, AtRiskTitle, Definitions.AtRisk);
        Table("at-risk").AppendHtml(html);
    }

    private static ChartRow ForecastRow(ForecastPeriod period)
    {
        var marks = new List<ChartMark>();
        double start = 0;
        for (var c = 0; c < 3; c++)
        {
            var cell = period.Categories[c];
            if (cell.Amount > 0)
            {
                marks.Add(new ChartMark(start, cell.Amount, ForecastColors[c], Title:
                    $"{period.Period} {cell.Category}: {Format.Money(cell.Amount)} ({Format.Count(cell.Count)} deals, weighted {Format.Money(cell.WeightedAmount)})"));
                start += cell.Amount;
            }
        }

        var open = period.Categories.Take(3).ToList();
        return new ChartRow(period.Period, marks, $"{Format.Money(start)} in {Format.Deals(open.Sum(c => c.Count))} · weighted {Format.Money(open.Sum(c => c.WeightedAmount))}");
    }
}
