using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Tests.Duplicates;

/// <summary>A generated record set with the pairs that are truly the same entity (each pair's ids in ordinal order).</summary>
internal sealed record LabelledSet<T>(IReadOnlyList<T> Records, IReadOnlySet<(string, string)> TruePairs);

/// <summary>
/// Deterministic labelled data for duplicate detection (also linked into the benchmarks). Clean records, then planted
/// duplicates with the edits people make (typos, first and last name swapped, case, "Inc." against "Incorporated",
/// missing fields, phone and web site written differently) and planted look-alikes that are not duplicates but share a
/// block (a common surname at the same company, the same person's name at another company, the same company name at
/// another domain in another country).
/// </summary>
internal static class DuplicateSetGenerator
{
    private static readonly string[] Prefixes =
    [
        "Apex", "Blue", "Cedar", "Crescent", "Summit", "Harbor", "Iron", "Lumen", "Nova", "Orion", "Pinnacle", "Quantum", "Red",
        "Silver", "Stone", "Vertex", "Willow", "North", "Bright", "Clear", "Golden", "Granite", "Maple", "Oak", "Pacific", "Atlas",
        "Beacon", "Cobalt", "Delta", "Evergreen", "Falcon", "Horizon", "Juniper", "Keystone", "Meridian", "Prairie", "Sterling",
        "Tidal", "Union", "Zenith", "Crème", "Bäcker", "Søren", "Höhe",
    ];

    private static readonly string[] Cores =
    [
        "ridge", "point", "field", "bridge", "wave", "gate", "stream", "works", "line", "path", "forge", "leaf", "rock", "light",
        "wind", "view", "crest", "port", "vale", "stone", "wood", "star", "bay", "mark",
    ];

    private static readonly string[] Trades =
    [
        "Software", "Systems", "Labs", "Capital", "Partners", "Health", "Medical", "Industries", "Logistics", "Foods", "Energy",
        "Media", "Consulting", "Retail", "Insurance", "Bank", "Analytics", "Robotics", "Textiles", "Pharma",
    ];

    private static readonly (string Written, string Other)[] LegalForms =
    [
        ("Inc.", "Incorporated"), ("LLC", "L.L.C."), ("Ltd", "Limited"), ("GmbH", "GmbH"), ("Corp.", "Corporation"), ("", ""),
        ("Co.", "Company"), ("PLC", "plc"),
    ];

    private static readonly (string City, string Country, string Code, string Tld)[] Places =
    [
        ("New York", "US", "1", "com"), ("San Francisco", "US", "1", "com"), ("Chicago", "US", "1", "com"), ("Toronto", "CA", "1", "ca"),
        ("London", "GB", "44", "co.uk"), ("Berlin", "DE", "49", "de"), ("Paris", "FR", "33", "fr"), ("Sydney", "AU", "61", "com.au"),
        ("Dublin", "IE", "353", "ie"), ("Madrid", "ES", "34", "es"),
    ];

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
        "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily", "Paul", "Michelle", "Andrew", "Amanda", "Oliver", "Sophie",
        "Lucas", "Emma", "Hugo", "Chloé", "Lukas", "Hannah", "Mateo", "Lucía", "Erik", "Ingrid", "Liam", "Aoife", "Hiroshi",
        "Yuki", "Wei", "Mei", "Arjun", "Priya", "Noah", "Ava", "Ethan", "Isabella", "Omar", "Leila", "José", "François",
    ];

    // Common surnames first: they are drawn more often, so many people share them (the hard case for blocking).
    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart",
        "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly", "Howard", "Ward",
        "Dubois", "Moreau", "Schmidt", "Schneider", "Fischer", "Weber", "Jansen", "de Vries", "Lindqvist", "Johansson", "Fernández",
        "Romero", "Rossi", "Bianchi", "Tanaka", "Suzuki", "Sato", "Chen", "Wang", "Li", "Patel", "Sharma", "Nguyen", "Kim", "Park",
        "O'Brien", "Byrne", "Ali", "Haddad", "Novák", "Müller",
    ];

    private sealed record Company(string Name, string LegalWritten, string LegalOther, string Domain, int Place, string PhoneLine);

    /// <summary>Accounts: <paramref name="count"/> clean ones, a share of them duplicated once (a few twice), and look-alikes.</summary>
    public static LabelledSet<AccountRecord> Accounts(int count, int seed, double duplicateShare = 0.2, double lookAlikeShare = 0.1)
    {
        var random = new Random(seed);
        var records = new List<AccountRecord>();
        var truth = new HashSet<(string, string)>();
        var companies = Companies(count, random);
        var id = 0;
        foreach (var company in companies)
        {
            var original = Account(company, NextId("001", ref id), random);
            records.Add(original);
            if (random.NextDouble() < lookAlikeShare)
            {
                // The same trading name, another company: another country's domain, phone and city.
                var place = (company.Place + 1 + random.Next(Places.Length - 1)) % Places.Length;
                var other = company with
                {
                    Domain = company.Domain[..company.Domain.IndexOf('.')] + "-" + Places[place].City.ToLowerInvariant().Replace(" ", string.Empty) + "." + Places[place].Tld,
                    Place = place,
                    PhoneLine = PhoneLine(random),
                };
                records.Add(Account(other, NextId("001", ref id), random));
            }

            if (random.NextDouble() < duplicateShare)
            {
                var copies = random.NextDouble() < 0.15 ? 2 : 1;
                var ids = new List<string> { original.Id };
                for (var c = 0; c < copies; c++)
                {
                    var duplicate = EditAccount(original, company, NextId("001", ref id), random);
                    records.Add(duplicate);
                    ids.Add(duplicate.Id);
                }

                AddPairs(truth, ids);
            }
        }

        Shuffle(records, random);
        return new LabelledSet<AccountRecord>(records, truth);
    }

    /// <summary>Contacts at a pool of accounts, with planted duplicates and colleagues sharing common surnames.</summary>
    public static LabelledSet<ContactRecord> Contacts(int count, int seed, double duplicateShare = 0.2)
    {
        var random = new Random(seed);
        var companies = Companies(Math.Max(1, count / 8), random);
        var records = new List<ContactRecord>();
        var truth = new HashSet<(string, string)>();
        var id = 0;
        var accountIds = companies.Select((_, i) => $"001{i:D12}AAA").ToArray();
        var emails = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var a = random.Next(companies.Count);
            var company = companies[a];
            var (first, last) = PersonName(random);
            var line = PhoneLine(random);
            var original = new ContactRecord
            {
                Id = NextId("003", ref id),
                AccountId = accountIds[a],
                FirstName = first,
                LastName = last,
                Email = UniqueEmail($"{Ascii(first)}.{Ascii(last)}", company.Domain, emails),
                Phone = Phone(company.Place, line, random.Next(4)),
                MobilePhone = random.NextDouble() < 0.5 ? Phone(company.Place, PhoneLine(random), random.Next(4)) : null,
                MailingCity = Places[company.Place].City,
            };
            records.Add(original);
            if (random.NextDouble() < duplicateShare)
            {
                var duplicate = EditPerson(original, NextId("003", ref id), random, company.Place, line);
                records.Add(duplicate);
                AddPairs(truth, [original.Id, duplicate.Id]);
            }
        }

        Shuffle(records, random);
        return new LabelledSet<ContactRecord>(records, truth);
    }

    /// <summary>Leads at many companies, with planted duplicates (company written differently too) and namesakes.</summary>
    public static LabelledSet<LeadRecord> Leads(int count, int seed, double duplicateShare = 0.2)
    {
        var random = new Random(seed);
        var companies = Companies(Math.Max(1, count / 3), random);
        var records = new List<LeadRecord>();
        var truth = new HashSet<(string, string)>();
        var id = 0;
        var emails = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var company = companies[random.Next(companies.Count)];
            var (first, last) = PersonName(random);
            var freeMail = random.NextDouble() < 0.15;
            var line = PhoneLine(random);
            var original = new LeadRecord
            {
                Id = NextId("00Q", ref id),
                FirstName = first,
                LastName = last,
                Company = Join(company.Name, company.LegalWritten),
                Email = UniqueEmail($"{Ascii(first)}.{Ascii(last)}{(freeMail ? random.Next(10, 99).ToString(CultureInfo.InvariantCulture) : string.Empty)}", freeMail ? "gmail.com" : company.Domain, emails),
                Phone = Phone(company.Place, line, random.Next(4)),
                City = Places[company.Place].City,
            };
            records.Add(original);
            if (random.NextDouble() < duplicateShare)
            {
                var person = EditPerson(
                    new ContactRecord { Id = "x", FirstName = original.FirstName, LastName = original.LastName, Email = original.Email, Phone = original.Phone },
                    NextId("00Q", ref id),
                    random,
                    company.Place,
                    line);
                var duplicate = original with
                {
                    Id = person.Id,
                    FirstName = person.FirstName,
                    LastName = person.LastName,
                    Email = person.Email,
                    Phone = person.Phone,
                    Company = random.NextDouble() < 0.5 ? Join(company.Name, company.LegalOther) : original.Company,
                };
                records.Add(duplicate);
                AddPairs(truth, [original.Id, duplicate.Id]);
            }
        }

        Shuffle(records, random);
        return new LabelledSet<LeadRecord>(records, truth);
    }

    private static List<Company> Companies(int count, Random random)
    {
        // Distinct trading names (prefix + core + trade) while they last; beyond ~42,000 a number keeps them apart.
        var total = Prefixes.Length * Cores.Length * Trades.Length;
        var order = Enumerable.Range(0, total).ToArray();
        random.Shuffle(order);
        var companies = new List<Company>(count);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var n = order[i % total];
            var prefix = Prefixes[n / (Cores.Length * Trades.Length)];
            var core = Cores[n / Trades.Length % Cores.Length];
            var trade = Trades[n % Trades.Length];
            var round = i / total;
            var brand = prefix + core + (round > 0 ? round.ToString(CultureInfo.InvariantCulture) : string.Empty);
            var legal = LegalForms[random.Next(LegalForms.Length)];
            var place = random.Next(Places.Length);
            // Two companies never share a domain: the brand alone when it is free (half the time), else brand and trade.
            var domain = Ascii(brand).ToLowerInvariant() + "." + Places[place].Tld;
            if (random.NextDouble() < 0.5 || !domains.Add(domain))
            {
                domain = Ascii(brand + trade).ToLowerInvariant() + "." + Places[place].Tld;
                domains.Add(domain);
            }

            companies.Add(new Company($"{brand} {trade}", legal.Written, legal.Other, domain, place, PhoneLine(random)));
        }

        return companies;
    }

    private static AccountRecord Account(Company company, string id, Random random) => new()
    {
        Id = id,
        Name = Join(company.Name, company.LegalWritten),
        Website = Website(company.Domain, random.Next(4)),
        Phone = Phone(company.Place, company.PhoneLine, random.Next(4)),
        BillingCity = Places[company.Place].City,
        BillingCountry = Places[company.Place].Country,
    };

    /// <summary>One to three edits of the kinds people make when they enter a company again.</summary>
    private static AccountRecord EditAccount(AccountRecord original, Company company, string id, Random random)
    {
        var copy = original with { Id = id };
        var edits = 1 + random.Next(3);
        var missing = 0;
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(7))
            {
                case 0:
                    copy = copy with { Name = Join(Typo(company.Name, random), company.LegalWritten) };
                    break;
                case 1:
                    copy = copy with { Name = copy.Name!.ToUpperInvariant() };
                    break;
                case 2:
                    copy = copy with { Name = Join(company.Name, random.NextDouble() < 0.5 ? company.LegalOther : string.Empty) };
                    break;
                case 3:
                    copy = copy with { Website = Website(company.Domain, random.Next(4)) };
                    break;
                case 4:
                    // The same number written another way, or now and then another line of the company.
                    copy = copy with { Phone = Phone(company.Place, random.NextDouble() < 0.25 ? PhoneLine(random) : company.PhoneLine, random.Next(4)) };
                    break;
                case 5 when missing == 0:
                    missing++;
                    copy = random.Next(3) switch
                    {
                        0 => copy with { Website = null },
                        1 => copy with { Phone = null },
                        _ => copy with { BillingCity = null },
                    };
                    break;
                default:
                    copy = copy with { Name = Join(company.Name.Replace(" ", ", ", StringComparison.Ordinal), company.LegalWritten) };
                    break;
            }
        }

        return copy;
    }

    /// <summary>One to three edits of a person: typo, swapped names, case, accents dropped, a field missing, another phone format.</summary>
    private static ContactRecord EditPerson(ContactRecord original, string id, Random random, int place, string line)
    {
        var copy = original with { Id = id };
        var edits = 1 + random.Next(3);
        var missing = 0;
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(7))
            {
                case 0:
                    copy = random.NextDouble() < 0.5
                        ? copy with { LastName = Typo(copy.LastName!, random) }
                        : copy with { FirstName = Typo(copy.FirstName!, random) };
                    break;
                case 1:
                    copy = copy with { FirstName = copy.LastName, LastName = copy.FirstName };
                    break;
                case 2:
                    copy = copy with { LastName = copy.LastName!.ToUpperInvariant(), Email = copy.Email?.ToUpperInvariant() };
                    break;
                case 3:
                    copy = copy with { FirstName = Ascii(copy.FirstName!), LastName = Ascii(copy.LastName!) };
                    break;
                case 4 when missing == 0:
                    missing++;
                    copy = random.NextDouble() < 0.6 ? copy with { Email = null } : copy with { Phone = null, MobilePhone = null };
                    break;
                case 5 when copy.Email is not null:
                    // Another address at the same company: initial and last name instead of first.last.
                    var at = copy.Email.IndexOf('@', StringComparison.Ordinal);
                    copy = copy with { Email = (Ascii(copy.FirstName!)[..1] + Ascii(copy.LastName!)).ToLowerInvariant() + copy.Email[at..] };
                    break;
                default:
                    copy = copy with { Phone = copy.Phone is null ? null : Phone(place, line, random.Next(4)) };
                    break;
            }
        }

        return copy;
    }

    private static (string First, string Last) PersonName(Random random)
    {
        // Squaring the draw favours the common surnames at the front of the list.
        var u = random.NextDouble();
        return (FirstNames[random.Next(FirstNames.Length)], LastNames[(int)(u * u * LastNames.Length)]);
    }

    private static string PhoneLine(Random random) =>
        $"{random.Next(200, 999).ToString(CultureInfo.InvariantCulture)}{random.Next(200, 999).ToString(CultureInfo.InvariantCulture)} {random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The same number written four ways: international, national with trunk 0 or brackets, dotted, 00-prefixed.</summary>
    private static string Phone(int place, string line, int style)
    {
        var code = Places[place].Code;
        var digits = line.Replace(" ", string.Empty, StringComparison.Ordinal);
        var nanp = code == "1";
        return style switch
        {
            0 => $"+{code} {line}",
            1 => nanp ? $"({digits[..3]}) {digits[3..6]}-{digits[6..]}" : $"0{digits[..3]} {digits[3..]}",
            2 => nanp ? $"{digits[..3]}.{digits[3..6]}.{digits[6..]}" : $"+{code} (0){digits}",
            _ => $"00{code}-{digits}",
        };
    }

    private static string Website(string domain, int style) => style switch
    {
        0 => $"https://www.{domain}",
        1 => $"http://{domain}/",
        2 => $"www.{domain}",
        _ => $"https://{domain}/about",
    };

    /// <summary>A typo after the first letter: swap two neighbours, drop one, double one or replace one.</summary>
    private static string Typo(string word, Random random)
    {
        if (word.Length < 3)
        {
            return word + word[^1];
        }

        var i = 1 + random.Next(word.Length - 2);
        var chars = word.ToCharArray().ToList();
        switch (random.Next(4))
        {
            case 0:
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                break;
            case 1:
                chars.RemoveAt(i);
                break;
            case 2:
                chars.Insert(i, chars[i]);
                break;
            default:
                chars[i] = (char)('a' + random.Next(26));
                break;
        }

        return new string([.. chars]);
    }

    /// <summary>Two people with one name at one company get "mary.smith@" and "mary.smith2@", as mail systems do.</summary>
    private static string UniqueEmail(string local, string domain, HashSet<string> used)
    {
        var email = $"{local}@{domain}".ToLowerInvariant();
        for (var n = 2; !used.Add(email); n++)
        {
            email = $"{local}{n.ToString(CultureInfo.InvariantCulture)}@{domain}".ToLowerInvariant();
        }

        return email;
    }

    private static string Join(string name, string legal) => legal.Length == 0 ? name : $"{name} {legal}";

    private static string Ascii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && c != ' ' && c != '\'')
            {
                builder.Append(c switch { 'ø' => 'o', 'Ø' => 'O', _ => c });
            }
        }

        return builder.ToString();
    }

    private static string NextId(string prefix, ref int counter) => $"{prefix}{counter++:D12}AAA";

    private static void AddPairs(HashSet<(string, string)> truth, List<string> ids)
    {
        for (var x = 0; x < ids.Count; x++)
        {
            for (var y = x + 1; y < ids.Count; y++)
            {
                truth.Add(string.CompareOrdinal(ids[x], ids[y]) < 0 ? (ids[x], ids[y]) : (ids[y], ids[x]));
            }
        }
    }

    private static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
