using Atom.Salesforce.Client.Analytics.Pipeline;

namespace Atom.Salesforce.Samples.PipelineReporting;

/// <summary>The pipeline report as terminal tables.</summary>
public static class ConsoleReport
{
    /// <summary>Table titles, in the order they are written.</summary>
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
    public const string ForecastTitle = "Forecast by close month and category (amount)";

    /// <summary>The bottleneck table's title.</summary>
    public const string BottlenecksTitle = "Bottleneck stages";

    /// <summary>Writes every table of <paramref name="report"/>.</summary>
    public static void Write(TextWriter writer, PipelineReport report)
    {
        var pipeline = new TextTable(PipelineTitle, "Stage", ">Deals", ">Amount", ">Weighted");
        foreach (var group in report.Groups)
        {
            pipeline.Add(group.Key ?? "(none)", Format.Count(group.Count), Format.Money(group.Amount), Format.Money(group.WeightedAmount));
        }

        pipeline.Add("Total", Format.Count(report.OpenCount), Format.Money(report.OpenAmount), Format.Money(report.WeightedAmount));
        pipeline.Write(writer);

        new TextTable(SummaryTitle, "Metric", ">Value")
            .Add("Deals in scope", Format.Count(report.Count))
            .Add("Open / won / lost", $"{Format.Count(report.OpenCount)} / {Format.Count(report.WonCount)} / {Format.Count(report.LostCount)}")
            .Add("Win rate", Format.Percent(report.WinRate))
            .Add("Sales cycle, mean days", Format.Days(report.SalesCycle.MeanDays))
            .Add("Sales cycle, median days", Format.Days(report.SalesCycle.MedianDays))
            .Add("Velocity, amount per day", Format.Money(report.Velocity))
            .Add("At-risk deals", Format.Count(report.AtRiskCount))
            .Add("At-risk amount", Format.Money(report.AtRiskAmount))
            .Write(writer);

        var sizes = report.DealSizes;
        new TextTable(DealSizeTitle, ">Deals", ">Mean", ">P25", ">P50", ">P75", ">P90")
            .Add(Format.Count(sizes.Count), Format.Money(sizes.Mean), Format.Money(sizes.P25), Format.Money(sizes.P50), Format.Money(sizes.P75), Format.Money(sizes.P90))
            .Write(writer);

        var stages = new TextTable(StagesTitle, "Stage", ">Reached", ">Advanced", ">Conversion", ">Mean days", ">Median days");
        foreach (var stage in report.Stages)
        {
            stages.Add(stage.StageName, Format.Count(stage.Reached), Format.Count(stage.Advanced), Format.Percent(stage.ConversionRate),
                Format.Days(stage.MeanDays), Format.Days(stage.MedianDays));
        }

        stages.Write(writer);

        var bottlenecks = new TextTable(BottlenecksTitle, ">Rank", "Stage", ">Score", ">Open deals", ">Open amount", "Why");
        foreach (var stage in report.Bottlenecks)
        {
            bottlenecks.Add(Format.Count(stage.Rank), stage.StageName, Format.Score(stage.Score), Format.Count(stage.OpenCount), Format.Money(stage.OpenAmount),
                string.Join("; ", stage.Reasons.Select(Format.Reason)));
        }

        bottlenecks.Write(writer);

        var forecast = new TextTable(ForecastTitle, ["Period", .. ForecastCategories.All.Select(c => ">" + c), ">Deals", ">Weighted"]);
        foreach (var period in report.Forecast)
        {
            forecast.Add([period.Period, .. period.Categories.Select(c => Format.Money(c.Amount)), Format.Count(period.Categories.Sum(c => c.Count)),
                Format.Money(period.Categories.Sum(c => c.WeightedAmount))]);
        }

        forecast.Write(writer);

        var atRisk = new TextTable(AtRiskTitle, "Opportunity", "Stage", ">Amount", "Close date", ">Days in stage", ">Pushes", ">Days overdue", "Reasons");
        foreach (var deal in report.AtRisk)
        {
            atRisk.Add(deal.OpportunityId, deal.StageName, Format.Money(deal.Amount), Format.Date(deal.CloseDate), Format.Count(deal.DaysSinceStageChange),
                Format.Count(deal.CloseDatePushes), Format.Count(deal.DaysOverdue), Format.Reasons(deal.Reasons));
        }

        atRisk.Write(writer);
    }
}
