using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>Whether a record is a company (accounts, a lead's company) or a person (contacts, leads).</summary>
internal enum CandidateKind
{
    Company,
    Person,
}

/// <summary>One record with its fields normalised once, before any comparison.</summary>
internal sealed record DuplicateCandidate
{
    public required string Id { get; init; }

    /// <summary>0, or 1 for the second set when two sets are matched against each other.</summary>
    public int Side { get; init; }

    /// <summary>The company name (companies) or "first last" (persons), normalised; the sort key of oversized blocks.</summary>
    public string? Name { get; init; }

    /// <summary>The name's words sorted and joined by a space, so that word order does not matter.</summary>
    public string? SortedName { get; init; }

    public string[] Tokens { get; init; } = [];

    public string? First { get; init; }

    public string? Last { get; init; }

    /// <summary>A person's company (a lead's Company, normalised).</summary>
    public string? Company { get; init; }

    /// <summary>A contact's account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The web domain (an account's Website, or a person's company e-mail domain; never a free-mail domain).</summary>
    public string? Domain { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? OtherPhone { get; init; }

    public string? City { get; init; }

    public static DuplicateCandidate FromAccount(AccountRecord account, int side = 0)
    {
        var name = RecordNormalizer.CompanyName(account.Name);
        return new DuplicateCandidate
        {
            Id = account.Id,
            Side = side,
            Name = name,
            SortedName = Sorted(name, out var tokens),
            Tokens = tokens,
            Domain = RecordNormalizer.WebDomain(account.Website),
            Phone = RecordNormalizer.Phone(account.Phone),
            City = RecordNormalizer.Text(account.BillingCity),
        };
    }

    /// <summary>A lead's company, to match against accounts: the company name, its e-mail domain and its phone.</summary>
    public static DuplicateCandidate CompanyOfLead(LeadRecord lead, int side = 0)
    {
        var name = RecordNormalizer.CompanyName(lead.Company);
        return new DuplicateCandidate
        {
            Id = lead.Id,
            Side = side,
            Name = name,
            SortedName = Sorted(name, out var tokens),
            Tokens = tokens,
            Domain = RecordNormalizer.CompanyEmailDomain(lead.Email),
            Phone = RecordNormalizer.Phone(lead.Phone),
            City = RecordNormalizer.Text(lead.City),
        };
    }

    public static DuplicateCandidate FromContact(ContactRecord contact, int side = 0) =>
        Person(contact.Id, side, contact.FirstName, contact.LastName, contact.Email, contact.Phone, contact.MobilePhone) with
        {
            AccountId = string.IsNullOrEmpty(contact.AccountId) ? null : contact.AccountId,
            City = RecordNormalizer.Text(contact.MailingCity),
        };

    public static DuplicateCandidate FromLead(LeadRecord lead, int side = 0) =>
        Person(lead.Id, side, lead.FirstName, lead.LastName, lead.Email, lead.Phone, null) with
        {
            Company = RecordNormalizer.CompanyName(lead.Company),
            City = RecordNormalizer.Text(lead.City),
        };

    /// <summary>The blocking keys: records are compared only when they share one. The first character names the kind.</summary>
    public IEnumerable<string> BlockingKeys(CandidateKind kind)
    {
        if (Email is not null)
        {
            yield return "m" + Email;
        }

        if (Phone is not null)
        {
            yield return "p" + Phone;
        }

        if (OtherPhone is not null && OtherPhone != Phone)
        {
            yield return "p" + OtherPhone;
        }

        if (kind == CandidateKind.Company)
        {
            if (Domain is not null)
            {
                yield return "d" + Domain;
            }

            if (Name is null)
            {
                yield break;
            }

            // A typo can spoil the prefix or the suffix of a longer name, rarely both.
            var squashed = Name.Replace(" ", string.Empty, StringComparison.Ordinal);
            yield return "n" + squashed[..Math.Min(4, squashed.Length)];
            if (squashed.Length >= 8)
            {
                yield return "r" + squashed[^4..];
            }

            if (SortedName != Name)
            {
                yield return "s" + SortedName;
            }

            yield break;
        }

        if (Last is not null)
        {
            // Last name with the first initial; first name with the last initial (a typo in either name still meets);
            // the two names in alphabetical order (first and last swapped still meet).
            yield return "n" + Last + "|" + (First is { Length: > 0 } f ? f[..1] : string.Empty);
            if (First is not null)
            {
                yield return "f" + First + "|" + Last[..1];
                yield return "s" + SortedName;
            }
        }
    }

    /// <summary>The key oversized blocks are sorted by: reversed names for suffix keys, so near spellings sit together.</summary>
    public string SortKey(char keyKind)
    {
        var name = Name ?? string.Empty;
        if (keyKind != 'r')
        {
            return name;
        }

        var chars = name.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }

    private static DuplicateCandidate Person(string id, int side, string? firstName, string? lastName, string? email, string? phone, string? otherPhone)
    {
        var first = Squash(RecordNormalizer.Text(firstName));
        var last = Squash(RecordNormalizer.Text(lastName));
        var name = first is null ? last : last is null ? first : first + " " + last;
        var normalizedEmail = RecordNormalizer.Email(email);
        return new DuplicateCandidate
        {
            Id = id,
            Side = side,
            First = first,
            Last = last,
            Name = name,
            SortedName = Sorted(name, out var tokens),
            Tokens = tokens,
            Email = normalizedEmail,
            Domain = RecordNormalizer.CompanyEmailDomain(normalizedEmail),
            Phone = RecordNormalizer.Phone(phone),
            OtherPhone = RecordNormalizer.Phone(otherPhone),
        };
    }

    /// <summary>"de vries" as "devries": a person's name part is one token.</summary>
    private static string? Squash(string? part) => part?.Replace(" ", string.Empty, StringComparison.Ordinal);

    private static string? Sorted(string? name, out string[] tokens)
    {
        if (name is null)
        {
            tokens = [];
            return null;
        }

        tokens = name.Split(' ');
        var sorted = (string[])tokens.Clone();
        Array.Sort(sorted, StringComparer.Ordinal);
        return string.Join(' ', sorted);
    }
}
