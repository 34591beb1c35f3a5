using System.Globalization;
using System.Text;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Demo;

/// <summary>
/// Generates a believable sales org (<see cref="DemoDataOptions"/>) into an <see cref="Org"/>. It first plans the whole
/// org from one seeded random sequence — people, companies, leads and how each deal moves through the stages over the
/// two years before the org clock — then writes every record and every change at its own moment, in time order, through
/// <see cref="Org.Seed"/> and <see cref="Org.SeedUpdate"/>. So ids grow with CreatedDate, each stage, amount or close date
/// change leaves its OpportunityHistory row dated when it happened, and nothing is dated after the clock.
/// <para>
/// It reads the clock only to the day: the org is written as it stood at the last 12:00 UTC (<see cref="AsOf"/>; the
/// history ends there, upcoming events and close dates follow it), so the same options give the same org all day long.
/// </para>
/// </summary>
internal sealed partial class DemoOrgGenerator
{
    /// <summary>How far back the org's history goes.</summary>
    public const int HistoryDays = 730;

    private readonly Org _org;
    private readonly DemoRandom _random;

    /// <summary>
    /// The reps' forecast calls (category and probability overrides) draw from their own sequence, so adding them left
    /// every other planted pattern (sizes, outcomes, stage paths, dates) exactly as the main sequence makes it.
    /// </summary>
    private readonly DemoRandom _forecastRandom;
    private readonly double _scale;
    private readonly DateTimeOffset _now;
    private readonly DateTimeOffset _start;
    private readonly List<(DateTimeOffset At, long Order, Action Write)> _writes = [];
    private readonly HashSet<string> _companies = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<UserPlan> _users = [];
    private readonly List<UserPlan> _reps = [];
    private readonly List<CampaignPlan> _campaigns = [];
    private readonly List<AccountPlan> _accounts = [];
    private readonly List<ContactPlan> _contacts = [];
    private readonly List<LeadPlan> _leads = [];
    private readonly List<OpportunityPlan> _opportunities = [];
    private static readonly TimeSpan Opening = TimeSpan.FromHours(8);
    private static readonly TimeSpan Closing = TimeSpan.FromHours(18);
    private static readonly TimeSpan Noon = TimeSpan.FromHours(12);

    private UserPlan _vp = null!;
    private UserPlan _marketing = null!;

    private DemoOrgGenerator(Org org, DemoDataOptions options, DateTimeOffset asOf)
    {
        _org = org;
        _random = new DemoRandom(options.RandomSeed);
        _forecastRandom = new DemoRandom(unchecked((options.RandomSeed * 31) + 7));
        _scale = options.Scale;
        _now = asOf;
        _start = _now.AddDays(-HistoryDays);
    }

    /// <summary>
    /// Plans and writes the demo org as it stands at <paramref name="asOf"/> (<see cref="AsOf"/> of the clock); the org
    /// should hold only its admin user and stages, created at <see cref="OrgCreated"/>.
    /// </summary>
    public static void Generate(Org org, DemoDataOptions options, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(options);
        new DemoOrgGenerator(org, options, asOf).Run();
    }

    /// <summary>
    /// The moment a demo org generated at <paramref name="now"/> is written as of: 12:00 UTC that day, or the day before
    /// when it is not noon yet. A fixed time of day, so that the org depends on the date only (a clock from
    /// <see cref="SalesforceEmulatorOptions.ClockStartingOn"/> starts at that noon), and noon, so that the last day has a
    /// morning of activity.
    /// </summary>
    public static DateTimeOffset AsOf(DateTimeOffset now)
    {
        var noon = AtMidnight(Day(now)) + Noon;
        return noon <= now ? noon : noon.AddDays(-1);
    }

    /// <summary>When a demo org written as of <paramref name="asOf"/> began: its admin user and stages are dated then, before any demo record.</summary>
    public static DateTimeOffset OrgCreated(DateTimeOffset asOf) => asOf.AddDays(-HistoryDays);

    /// <summary>Lower-case letters of a name, for usernames, e-mail addresses and domains.</summary>
    public static string Ascii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                ascii.Append(char.ToLowerInvariant(c));
            }
        }

        return ascii.ToString();
    }

    private void Run()
    {
        var accounts = Count(500, 5);
        var contacts = Math.Max(accounts, Count(2_000, 10));
        var leads = Count(3_000, 10);
        var opportunities = Count(2_500, 5);

        PlanUsers();
        PlanCampaigns();

        // Accounts the org had at go-live and accounts reps opened themselves; the rest come from converted leads.
        var direct = Math.Max(2, (int)Math.Round(accounts * 0.45));
        var goLive = Math.Max(1, direct / 2);
        PlanAccounts(goLive, goLive: true);
        PlanAccounts(direct - goLive, goLive: false);
        PlanLeads(leads);
        ConvertLeads(accounts - direct, contacts - direct, opportunities);
        PlanAccounts(accounts - _accounts.Count, goLive: false);
        PlanContacts(contacts);
        PlanOpportunities(opportunities);
        PlanContactRoles();
        PlanCampaignMembers();
        PlanActivities(Count(7_000, 10), Count(3_000, 5));
        ScheduleRecords();

        _writes.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        foreach (var (_, _, write) in _writes)
        {
            write();
        }
    }

    private int Count(int atScaleOne, int minimum) => Math.Max(minimum, (int)Math.Round(atScaleOne * _scale));

    /// <summary>Queues a write for its moment; writes at the same moment run in the order they were queued.</summary>
    private void Write(DateTimeOffset at, Action write) => _writes.Add((at, _writes.Count, write));

    private void PlanUsers()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        (string First, string Last) NewName()
        {
            while (true)
            {
                var name = (_random.Pick(DemoCatalog.FirstNames), _random.Pick(DemoCatalog.LastNames));
                if (names.Add(Ascii(name.Item1) + "." + Ascii(name.Item2)))
                {
                    return name;
                }
            }
        }

        UserPlan Add(string title, int region, UserPlan? manager, DateTimeOffset created, double skill = 1, double speed = 1, double activity = 1)
        {
            var (first, last) = NewName();
            var user = new UserPlan
            {
                FirstName = first, LastName = last, Title = title, Region = region, Manager = manager, Created = created,
                Skill = skill, Speed = speed, Activity = activity,
            };
            _users.Add(user);
            return user;
        }

        _vp = Add("VP Sales", -1, null, _start);
        _marketing = Add("Marketing Manager", -1, _vp, _start.AddSeconds(1));
        var managers = DemoCatalog.Regions
            .Select((region, i) => Add($"Regional Sales Manager, {region.Name}", i, _vp, _start.AddSeconds(2 + i)))
            .ToArray();

        var reps = Math.Max(DemoCatalog.Regions.Length, Count(16, 4));
        for (var i = 0; i < reps; i++)
        {
            var region = DemoCatalog.RepRegionPattern[i % DemoCatalog.RepRegionPattern.Length];

            // Two of the sixteen joined during the two years; everyone else was there at go-live.
            var hired = i % 16 is 14 or 15
                ? CreatedAt(_start.AddDays(HistoryDays * (i % 16 == 14 ? 0.35 : 0.6)))
                : _start.AddSeconds(10 + i);
            var senior = _random.Chance(0.35);
            _reps.Add(Add(
                senior ? "Senior Account Executive" : "Account Executive",
                region,
                managers[region],
                hired,
                skill: Math.Clamp(_random.LogNormal(senior ? 1.12 : 0.95, 0.18), 0.6, 1.5),
                speed: Math.Clamp(_random.LogNormal(1, 0.15), 0.7, 1.4),
                activity: Math.Clamp(_random.LogNormal(1, 0.3), 0.5, 2)));
        }
    }

    private void PlanCampaigns()
    {
        var past = Count(24, 3);
        var future = Count(2, 1);
        var span = HistoryDays - 40.0;
        for (var k = 0; k < past + future; k++)
        {
            var kind = _random.Pick(DemoCatalog.CampaignTypes);
            DateOnly startDate;
            DateTimeOffset created;
            if (k < past)
            {
                startDate = Day(_start.AddDays(10 + ((k + _random.Between(0.1, 0.9)) * span / past)));
                created = Max(_start.AddHours(1), CreatedAt(AtMidnight(startDate).AddDays(-_random.Between(14, 40))));
            }
            else
            {
                startDate = Day(_now).AddDays(_random.Between(10, 60));
                created = CreatedAt(_now.AddDays(-_random.Between(1.0, 14.0)));
            }

            var length = kind.Type switch
            {
                "Webinar" or "Email" or "Seminar / Conference" => 1,
                "Conference" => 3,
                "Direct Mail" => 14,
                "Telemarketing" => 21,
                _ => 30,
            };
            var quarter = ((startDate.Month - 1) / 3) + 1;
            _campaigns.Add(new CampaignPlan
            {
                Name = $"{kind.Topic} Q{quarter} {startDate.Year}",
                Kind = kind,
                StartDate = startDate,
                EndDate = startDate.AddDays(length - 1),
                Created = created,
                BudgetedCost = Nearest((decimal)_random.Between(kind.MinCost, kind.MaxCost), 100),
            });
        }
    }

    private void PlanAccounts(int count, bool goLive)
    {
        var times = new List<DateTimeOffset>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(goLive
                ? CreatedAt(_start.AddHours(_random.Between(1.0, 48.0)))
                : CreatedAt(_start.AddDays(3 + (_random.Growing() * (HistoryDays - 4)))));
        }

        times.Sort();
        foreach (var created in times)
        {
            var type = "Prospect";
            if (goLive)
            {
                type = _random.Unit() switch
                {
                    < 0.35 => "Customer - Direct",
                    < 0.37 => "Channel Partner / Reseller",
                    < 0.38 => "Technology Partner",
                    _ => "Prospect",
                };
            }

            var region = _random.Weighted(DemoCatalog.Regions.Select(r => r.Weight).ToArray());
            var city = _random.Pick(DemoCatalog.Regions[region].Cities);

            // Some mid-size and large companies are subsidiaries of a larger one opened before them.
            var size = PickSize();
            var parents = _accounts.Where(a => a.Size == 2 && a.Parent is null && a.Created < created.AddHours(-1)).ToList();
            if (size > 0 && parents.Count > 0 && _random.Chance(0.35))
            {
                var parent = _random.Pick(parents);
                var name = $"{parent.Name} ({city.Country})";
                if (_companies.Add(name))
                {
                    var root = parent.Domain[..parent.Domain.IndexOf('.', StringComparison.Ordinal)];
                    _accounts.Add(NewAccount(name, parent.Industry, size, region, city, $"{root}.{city.Domain}", parent.Source, created, type, parent));
                    continue;
                }
            }

            var industry = PickIndustry();
            var company = NewCompany(industry, out var domainRoot);
            _accounts.Add(NewAccount(company, industry, size, region, city, $"{domainRoot}.{city.Domain}", PickSource(s => s.LeadShare).Name, created, type, parent: null));
        }
    }

    private AccountPlan NewAccount(string name, DemoIndustry industry, int size, int region, DemoCity city, string domain, string source, DateTimeOffset created, string type, AccountPlan? parent)
    {
        var account = new AccountPlan
        {
            Name = name, Industry = industry, Size = size, Region = region, City = city, Domain = domain, Employees = Employees(size),
            Source = source, Owner = RepFor(region, created), Created = created, Type = type, Parent = parent,
        };
        if (type.StartsWith("Customer", StringComparison.Ordinal))
        {
            account.CustomerSince = created;
        }

        return account;
    }

    private void PlanLeads(int count)
    {
        var times = new List<DateTimeOffset>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(CreatedAt(_start.AddDays(3 + (_random.Growing() * (HistoryDays - 3)))));
        }

        times.Sort();
        foreach (var created in times)
        {
            var region = _random.Weighted(DemoCatalog.Regions.Select(r => r.Weight).ToArray());
            var city = _random.Pick(DemoCatalog.Regions[region].Cities);
            var industry = PickIndustry();
            var size = PickSize();
            var company = NewCompany(industry, out var domainRoot);
            var source = PickSource(s => s.LeadShare);
            var rating = _random.Unit() switch
            {
                < 0.2 => "Hot",
                < 0.65 => "Warm",
                _ => "Cold",
            };
            var title = _random.Pick(DemoCatalog.Titles);
            CampaignPlan? campaign = null;
            if (source.Name != "Phone Inquiry" && _random.Chance(0.55))
            {
                campaign = _campaigns
                    .Where(c => c.Created < created && c.StartDate <= Day(created) && Day(created) <= c.EndDate.AddDays(30))
                    .OrderByDescending(c => c.StartDate)
                    .FirstOrDefault();
            }

            var lead = new LeadPlan
            {
                FirstName = _random.Pick(DemoCatalog.FirstNames),
                LastName = _random.Pick(DemoCatalog.LastNames),
                Title = title,
                Source = source,
                Rating = rating,
                Created = created,
                Owner = RepFor(region, created),
                Company = company,
                Industry = industry,
                Size = size,
                Region = region,
                City = city,
                Domain = $"{domainRoot}.{city.Domain}",
                Employees = Employees(size),
                PhoneLine = PhoneLine(),
                Campaign = campaign,
            };
            _leads.Add(lead);

            // The planted signal: source, rating, seniority, company size and the campaign decide who converts.
            var probability = source.ConversionRate
                * (rating switch { "Hot" => 1.8, "Warm" => 1.0, _ => 0.45 })
                * DemoCatalog.SeniorityConversion[title.Seniority]
                * (size switch { 0 => 0.85, 1 => 1.0, _ => 1.25 })
                * (campaign?.Kind.Quality ?? 1);
            var converts = _random.Chance(Math.Min(probability, 0.9));
            var toConvert = Math.Max(1.0 / 24, _random.LogNormal(source.DaysToConvert, 0.8));
            var toContact = _random.LogNormal(0.8, 0.9);
            var neverContacted = _random.Chance(0.06);
            var toClose = _random.LogNormal(30, 0.7);
            var closes = _random.Chance(0.85);

            if (converts)
            {
                var converted = Later(created, toConvert);
                if (converted <= _now.AddMinutes(-10))
                {
                    lead.Converted = converted;
                    var contacted = Later(created, toContact);
                    lead.Contacted = contacted < converted ? contacted : Floor(created + ((converted - created) / 2));
                    continue;
                }
            }

            if (!neverContacted)
            {
                var contacted = Later(created, toContact);
                if (contacted <= _now)
                {
                    lead.Contacted = contacted;
                    var closed = Later(contacted, toClose);
                    if (closes && closed <= _now)
                    {
                        lead.ClosedUnconverted = closed;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Converts the planned conversions in time order: a new account (while the quota of lead-made accounts lasts) or an
    /// existing one in the lead's territory, always a contact, and most of the time an opportunity.
    /// </summary>
    private void ConvertLeads(int newAccounts, int maxConversions, int maxOpportunities)
    {
        var converting = _leads.Where(l => l.Converted is not null).OrderBy(l => l.Converted).ToList();
        foreach (var late in converting.Skip(Math.Max(0, maxConversions)))
        {
            // More conversions than contacts to make them with: the latest ones are still being worked.
            late.Converted = null;
        }

        converting = converting.Take(Math.Max(0, maxConversions)).ToList();
        for (var i = 0; i < converting.Count; i++)
        {
            var lead = converting[i];
            var at = lead.Converted!.Value;
            var existing = _accounts.Where(a => a.Created < at.AddHours(-1) && a.Region == lead.Region && !a.IsPartner).ToList();
            if (existing.Count == 0)
            {
                existing = _accounts.Where(a => a.Created < at.AddHours(-1)).ToList();
            }

            var fresh = newAccounts > 0 && (existing.Count == 0 || _random.Chance(newAccounts / (double)(converting.Count - i)));
            AccountPlan account;
            if (fresh)
            {
                newAccounts--;
                account = new AccountPlan
                {
                    Name = lead.Company, Industry = lead.Industry, Size = lead.Size, Region = lead.Region, City = lead.City,
                    Domain = lead.Domain, Employees = lead.Employees, Source = lead.Source.Name, Owner = lead.Owner, Created = at,
                    Type = "Prospect",
                };
                _accounts.Add(account);
            }
            else
            {
                // A new person from a company the org already knows: the lead is that company's.
                account = _random.Pick(existing);
                _companies.Remove(lead.Company);
                lead.Company = account.Name;
                lead.Industry = account.Industry;
                lead.Size = account.Size;
                lead.Region = account.Region;
                lead.City = account.City;
                lead.Domain = account.Domain;
                lead.Employees = account.Employees;
            }

            var contact = new ContactPlan
            {
                FirstName = lead.FirstName, LastName = lead.LastName, Title = lead.Title, Account = account, Created = at.AddSeconds(1),
                Source = lead.Source.Name, Owner = lead.Owner, Email = lead.Email, Phone = lead.Phone,
            };
            account.Contacts.Add(contact);
            _contacts.Add(contact);
            lead.Account = account;
            lead.Contact = contact;
            if (_opportunities.Count < maxOpportunities && _random.Chance(0.88))
            {
                var opportunity = new OpportunityPlan
                {
                    Created = at.AddSeconds(2), Source = lead.Source, Account = account, Owner = lead.Owner, Lead = lead, Campaign = lead.Campaign,
                };
                opportunity.Roles.Add(contact);
                lead.Opportunity = opportunity;
                _opportunities.Add(opportunity);
            }
        }
    }

    /// <summary>Every account gets a first contact when it is opened; the rest go to accounts by size, over time.</summary>
    private void PlanContacts(int total)
    {
        foreach (var account in _accounts.Where(a => a.Contacts.Count == 0).ToList())
        {
            var senior = DemoCatalog.Titles.Where(t => t.Seniority >= 2).ToArray();
            AddContact(account, _random.Pick(senior), account.Created.AddMinutes(_random.Between(5, 60)), reportsTo: null);
        }

        var open = _accounts.Where(a => a.Created < _now.AddDays(-2)).ToList();
        var cumulative = Cumulative(open, a => DemoCatalog.Sizes[a.Size].Weight);
        while (_contacts.Count < total && open.Count > 0)
        {
            var account = open[_random.Cumulative(cumulative)];
            var created = CreatedAt(account.Created.AddHours(1) + ((_now.AddMinutes(-1) - account.Created.AddHours(1)) * Math.Pow(_random.Unit(), 1.6)));
            var title = _random.Pick(DemoCatalog.Titles);
            var boss = account.Contacts.Where(c => c.Created < created && c.Title.Seniority >= 2).MinBy(c => c.Created);
            AddContact(account, title, created, title.Seniority < 3 && _random.Chance(0.45) ? boss : null);
        }
    }

    private void AddContact(AccountPlan account, DemoTitle title, DateTimeOffset created, ContactPlan? reportsTo)
    {
        var first = _random.Pick(DemoCatalog.FirstNames);
        var last = _random.Pick(DemoCatalog.LastNames);
        var contact = new ContactPlan
        {
            FirstName = first, LastName = last, Title = title, Account = account, Created = created, Source = account.Source, Owner = account.Owner,
            Email = $"{Ascii(first)}.{Ascii(last)}@{account.Domain}", Phone = $"{account.City.PhonePrefix} {PhoneLine()}", ReportsTo = reportsTo,
        };
        account.Contacts.Add(contact);
        _contacts.Add(contact);
    }

    private UserPlan RepFor(int region, DateTimeOffset at)
    {
        var candidates = _reps.Where(r => r.Region == region && r.Created < at).ToList();
        if (candidates.Count == 0)
        {
            candidates = _reps.Where(r => r.Created < at).ToList();
        }

        return candidates.Count == 0 ? _vp : _random.Pick(candidates);
    }

    private string NewCompany(DemoIndustry industry, out string domainRoot)
    {
        for (var attempt = 0; ; attempt++)
        {
            var word = _random.Pick(DemoCatalog.CompanyPrefixes) + _random.Pick(DemoCatalog.CompanyCores);
            var name = $"{word} {_random.Pick(industry.NameSuffixes)}";
            if (attempt > 20)
            {
                name = $"{name} {attempt.ToString(CultureInfo.InvariantCulture)}";
            }

            if (_companies.Add(name))
            {
                domainRoot = Ascii(word);
                return name;
            }
        }
    }

    private int PickSize() => _random.Weighted(DemoCatalog.Sizes.Select(s => s.Share).ToArray());

    private DemoIndustry PickIndustry() => DemoCatalog.Industries[_random.Weighted(DemoCatalog.Industries.Select(i => i.Weight).ToArray())];

    private DemoSource PickSource(Func<DemoSource, double> share) => DemoCatalog.Sources[_random.Weighted(DemoCatalog.Sources.Select(share).ToArray())];

    private decimal Employees(int size)
    {
        var (_, _, min, max, _, _, _) = DemoCatalog.Sizes[size];
        return Math.Round((decimal)Math.Exp(_random.Between(Math.Log(min), Math.Log(max))));
    }

    private string PhoneLine() => $"{_random.Between(200, 999).ToString(CultureInfo.InvariantCulture)} {_random.Between(1000, 9999).ToString(CultureInfo.InvariantCulture)}";

    private static double[] Cumulative<T>(IReadOnlyList<T> items, Func<T, double> weight)
    {
        var cumulative = new double[items.Count];
        var total = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            total += weight(items[i]);
            cumulative[i] = total;
        }

        return cumulative;
    }

    /// <summary>
    /// The moment itself when it falls in office hours (08:00–18:00 UTC on a weekday); otherwise a moment in the first hour
    /// of the next opening, keeping the order of the off-hours moments. Never earlier than <paramref name="t"/>.
    /// </summary>
    private static DateTimeOffset Workday(DateTimeOffset t)
    {
        var moment = t.UtcDateTime;
        var day = moment.Date;
        var time = moment.TimeOfDay;
        if (IsWeekday(day) && time >= Opening && time < Closing)
        {
            return Floor(t);
        }

        var opens = IsWeekday(day) && time < Opening ? day : day.AddDays(1);
        while (!IsWeekday(opens))
        {
            opens = opens.AddDays(1);
        }

        var closed = IsWeekday(day) && time >= Closing ? day : day.AddDays(-1);
        while (!IsWeekday(closed))
        {
            closed = closed.AddDays(-1);
        }

        var from = closed + Closing;
        var to = opens + Opening;
        var fraction = (moment - from) / (to - from);
        return Floor(new DateTimeOffset(to + (TimeSpan.FromHours(1) * fraction), TimeSpan.Zero));

        static bool IsWeekday(DateTime day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>A creation moment: in office hours unless that would be after the org clock.</summary>
    private DateTimeOffset CreatedAt(DateTimeOffset t)
    {
        var office = Workday(t);
        return office <= _now ? office : Floor(t < _now ? t : _now);
    }

    /// <summary>The office-hours moment <paramref name="days"/> after <paramref name="t"/>, always at least a minute later (may be after the clock).</summary>
    private DateTimeOffset Later(DateTimeOffset t, double days)
    {
        var next = Workday(t.AddDays(days));
        return next > t.AddMinutes(1) ? next : Floor(t.AddMinutes(_random.Between(2, 30)));
    }

    private static decimal Nearest(decimal value, decimal step) => Math.Round(value / step) * step;

    private static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateOnly Day(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime);

    private static DateTimeOffset AtMidnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
