using Atom.Salesforce.Client.Analytics.Data;
using Microsoft.Extensions.Time.Testing;

namespace Atom.Salesforce.Client.Analytics.Tests.Accounts;

/// <summary>
/// Five accounts small enough to work every metric out by hand; today is 2026-07-01.
/// A1 Acme (Technology, US/CA, 5,000 staff, customer): won O1 100 (2025-02-10) and O2 150 (2026-02-15); open O5 100.
/// A2 Beta (Retail, Germany, 100 staff, customer): won O3 200 (2025-05-01) and O7 100 (2026-04-10); lost O4 (2026-05-01).
/// A3 Gamma (Technology, US/NY, prospect): open O6 40.
/// A4 Delta (Retail, France, customer): won O8 60 (2025-03-01).
/// A5 Epsilon (Manufacturing, Japan, prospect): nothing.
/// Activities: X1 call with C1 (A1) 10 days ago, X2 meeting with C2 (A1) 60 days ago, X3 e-mail with C1 120 days ago,
/// X4 call with C3 (A2) 180 days ago, X5 a task on A1 planned in 9 days, X6 meeting with C4 about O6 (no AccountId) yesterday.
/// </summary>
internal static class AccountSample
{
    public static readonly DateOnly Today = new(2026, 7, 1);

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));

    public static SalesData Data() => new()
    {
        Accounts =
        [
            new() { Id = "A1", Name = "Acme", Industry = "Technology", Type = "Customer - Direct", OwnerId = "U1", BillingCountry = "United States", BillingState = "CA", NumberOfEmployees = 5000 },
            new() { Id = "A2", Name = "Beta", Industry = "Retail", Type = "Customer - Direct", OwnerId = "U2", BillingCountry = "Germany", NumberOfEmployees = 100 },
            new() { Id = "A3", Name = "Gamma", Industry = "Technology", Type = "Prospect", OwnerId = "U1", BillingCountry = "United States", BillingState = "NY", NumberOfEmployees = 300 },
            new() { Id = "A4", Name = "Delta", Industry = "Retail", Type = "Customer - Direct", OwnerId = "U2", BillingCountry = "France" },
            new() { Id = "A5", Name = "Epsilon", Industry = "Manufacturing", Type = "Prospect", OwnerId = "U1", BillingCountry = "Japan" },
        ],
        Opportunities =
        [
            Won("O1", "A1", 100, new(2025, 2, 10)),
            Won("O2", "A1", 150, new(2026, 2, 15)),
            Won("O3", "A2", 200, new(2025, 5, 1)),
            new() { Id = "O4", AccountId = "A2", StageName = "Closed Lost", Amount = 50, CloseDate = new(2026, 5, 1), IsClosed = true, CreatedDate = At(new(2026, 1, 1)) },
            Open("O5", "A1", 100, new(2026, 8, 1)),
            Open("O6", "A3", 40, new(2026, 9, 1)),
            Won("O7", "A2", 100, new(2026, 4, 10)),
            Won("O8", "A4", 60, new(2025, 3, 1)),
        ],
        Contacts =
        [
            new() { Id = "C1", AccountId = "A1" },
            new() { Id = "C2", AccountId = "A1" },
            new() { Id = "C3", AccountId = "A2" },
            new() { Id = "C4", AccountId = "A3" },
        ],
        Activities =
        [
            new() { Id = "X1", Kind = ActivityKind.Task, Type = "Call", AccountId = "A1", WhoId = "C1", ActivityDate = Today.AddDays(-10), IsClosed = true },
            new() { Id = "X2", Kind = ActivityKind.Event, Type = "Meeting", AccountId = "A1", WhoId = "C2", ActivityDate = Today.AddDays(-60) },
            new() { Id = "X3", Kind = ActivityKind.Task, Type = "Email", AccountId = "A1", WhoId = "C1", ActivityDate = Today.AddDays(-120), IsClosed = true },
            new() { Id = "X4", Kind = ActivityKind.Task, Type = "Call", AccountId = "A2", WhoId = "C3", ActivityDate = Today.AddDays(-180), IsClosed = true },
            new() { Id = "X5", Kind = ActivityKind.Task, Type = "Call", AccountId = "A1", WhoId = "C1", ActivityDate = Today.AddDays(9) },
            new() { Id = "X6", Kind = ActivityKind.Event, Type = "Meeting", WhatId = "O6", WhoId = "C4", ActivityDate = Today.AddDays(-1) },
        ],
    };

    public static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static OpportunityRecord Won(string id, string account, decimal amount, DateOnly close) => new()
    {
        Id = id, AccountId = account, StageName = "Closed Won", Amount = amount, CloseDate = close, IsClosed = true, IsWon = true, CreatedDate = At(close.AddDays(-30)),
    };

    private static OpportunityRecord Open(string id, string account, decimal amount, DateOnly close) => new()
    {
        Id = id, AccountId = account, StageName = "Prospecting", Amount = amount, CloseDate = close, CreatedDate = At(new(2026, 6, 1)),
    };
}
