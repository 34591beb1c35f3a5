using Atom.Salesforce.Client.Analytics.Data;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Pipeline;

/// <summary>
/// Seven hand-made deals, today 2026-06-30 (a Tuesday). Every expected value in the tests is worked out from this table.
/// <code>
/// id  stage                 amount  prob  close       created     owner source         forecast
/// O1  Prospecting           10,000   10   2026-07-15  2026-06-01  A     Web            Pipeline
/// O2  Proposal/Price Quote  50,000   75   2026-06-20  2026-04-01  B     Phone Inquiry  Pipeline
/// O3  Negotiation/Review    20,000   90   2026-08-10  2026-05-01  A     Web            Commit
/// O4  Closed Won            30,000  100   2026-05-31  2026-03-02  A     Web            Closed
/// O5  Closed Won            10,000  100   2026-06-10  2026-05-11  A     Partner        Closed
/// O6  Closed Won            40,000  100   2026-04-30  2026-03-16  B     Web            Closed   (no history rows)
/// O7  Closed Lost           25,000    0   2026-06-15  2026-05-01  B     Phone Inquiry  Omitted
/// </code>
/// History (stage, with the close date when it changes):
/// <code>
/// O1  06-01 Prospecting (close 07-15)
/// O2  04-01 Prospecting (close 05-01) · 04-05 Qualification · 04-25 Proposal · 05-02 Proposal, close pushed to 06-20
/// O3  05-01 Qualification · 05-13 12:00 Negotiation/Review
/// O4  03-02 Prospecting · 03-12 Needs Analysis · 04-01 Proposal · 05-31 Closed Won
/// O5  05-11 Qualification · 06-10 Closed Won
/// O7  05-01 Prospecting · 05-03 Qualification · 06-15 Closed Lost
/// </code>
/// </summary>
internal static class PipelineSample
{
    public static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Now);

    public static OpportunityRecord[] Opportunities() =>
    [
        Deal("O1", "Prospecting", 10_000, 10, "2026-07-15", "2026-06-01", "A", "Web", "New Customer", "Pipeline"),
        Deal("O2", "Proposal/Price Quote", 50_000, 75, "2026-06-20", "2026-04-01", "B", "Phone Inquiry", "New Customer", "Pipeline"),
        Deal("O3", "Negotiation/Review", 20_000, 90, "2026-08-10", "2026-05-01", "A", "Web", "Existing Customer - Upgrade", "Commit"),
        Deal("O4", "Closed Won", 30_000, 100, "2026-05-31", "2026-03-02", "A", "Web", "New Customer", "Closed", closed: true, won: true),
        Deal("O5", "Closed Won", 10_000, 100, "2026-06-10", "2026-05-11", "A", "Partner", "New Customer", "Closed", closed: true, won: true),
        Deal("O6", "Closed Won", 40_000, 100, "2026-04-30", "2026-03-16", "B", "Web", "New Customer", "Closed", closed: true, won: true),
        Deal("O7", "Closed Lost", 25_000, 0, "2026-06-15", "2026-05-01", "B", "Phone Inquiry", "New Customer", "Omitted", closed: true),
    ];

    public static OpportunityHistoryRecord[] History() =>
    [
        Row("O1", "2026-06-01T00:00:00Z", "Prospecting", "2026-07-15"),
        Row("O2", "2026-04-01T00:00:00Z", "Prospecting", "2026-05-01"),
        Row("O2", "2026-04-05T00:00:00Z", "Qualification", "2026-05-01"),
        Row("O2", "2026-04-25T00:00:00Z", "Proposal/Price Quote", "2026-05-01"),
        Row("O2", "2026-05-02T00:00:00Z", "Proposal/Price Quote", "2026-06-20"),
        Row("O3", "2026-05-01T00:00:00Z", "Qualification", "2026-08-10"),
        Row("O3", "2026-05-13T12:00:00Z", "Negotiation/Review", "2026-08-10"),
        Row("O4", "2026-03-02T00:00:00Z", "Prospecting", "2026-05-31"),
        Row("O4", "2026-03-12T00:00:00Z", "Needs Analysis", "2026-05-31"),
        Row("O4", "2026-04-01T00:00:00Z", "Proposal/Price Quote", "2026-05-31"),
        Row("O4", "2026-05-31T00:00:00Z", "Closed Won", "2026-05-31"),
        Row("O5", "2026-05-11T00:00:00Z", "Qualification", "2026-06-10"),
        Row("O5", "2026-06-10T00:00:00Z", "Closed Won", "2026-06-10"),
        Row("O7", "2026-05-01T00:00:00Z", "Prospecting", "2026-06-15"),
        Row("O7", "2026-05-03T00:00:00Z", "Qualification", "2026-06-15"),
        Row("O7", "2026-06-15T00:00:00Z", "Closed Lost", "2026-06-15"),
    ];

    public static OpportunitySet Set() => OpportunitySet.Create(Opportunities(), History());

    public static OpportunityRecord Deal(
        string id, string stage, decimal? amount, double probability, string close, string created, string owner, string? source, string type, string forecast,
        bool closed = false, bool won = false) => new()
        {
            Id = id,
            StageName = stage,
            Amount = amount,
            Probability = probability,
            CloseDate = DateOnly.Parse(close, System.Globalization.CultureInfo.InvariantCulture),
            CreatedDate = DateTimeOffset.Parse(created + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            OwnerId = owner,
            LeadSource = source,
            Type = type,
            ForecastCategoryName = forecast,
            IsClosed = closed,
            IsWon = won,
        };

    public static OpportunityHistoryRecord Row(string id, string at, string stage, string? close) => new()
    {
        OpportunityId = id,
        StageName = stage,
        CreatedDate = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture),
        CloseDate = close is null ? null : DateOnly.Parse(close, System.Globalization.CultureInfo.InvariantCulture),
    };
}
