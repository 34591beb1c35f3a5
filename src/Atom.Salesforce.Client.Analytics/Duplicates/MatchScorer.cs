using System.Globalization;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>
/// Scores a pair of candidates: each field both records have gives a similarity 0–1, and the score is the weighted mean
/// of those similarities over the fields present on both sides. A field missing on either side is neither evidence for
/// nor against. The weights say how telling a field is: an e-mail address or web domain identifies far better than a city.
/// </summary>
internal static class MatchScorer
{
    // Companies.
    internal const double CompanyNameWeight = 0.5;
    internal const double CompanyTokenWeight = 0.15;
    internal const double CompanyDomainWeight = 0.3;
    internal const double CompanyPhoneWeight = 0.15;
    internal const double CompanyCityWeight = 0.05;

    // Persons.
    internal const double PersonNameWeight = 0.45;
    internal const double PersonEmailWeight = 0.35;
    internal const double PersonPhoneWeight = 0.2;
    internal const double PersonCompanyWeight = 0.15;

    /// <summary>Two name words count as the same word (for token overlap) from this Jaro–Winkler similarity.</summary>
    private const double SameTokenSimilarity = 0.9;

    /// <summary>The match score of two candidates, with its reasons when <paramref name="reasons"/> is given.</summary>
    /// <param name="kind">Companies or persons.</param>
    /// <param name="a">One record.</param>
    /// <param name="b">The other.</param>
    /// <param name="reasons">Filled with one reason per field compared, largest share first; null to skip.</param>
    /// <param name="minimum">
    /// A pair that cannot reach this score is given up on early: the cheap exact fields come first, and the fuzzy name
    /// comparisons run only while the best score still possible reaches it. The value returned then is below it.
    /// </param>
    public static double Score(CandidateKind kind, DuplicateCandidate a, DuplicateCandidate b, List<ScoreReason>? reasons, double minimum = 0)
    {
        Span<double> weights = stackalloc double[5];
        Span<double> similarities = stackalloc double[5];
        Span<bool> present = stackalloc bool[5];
        var complete = kind == CandidateKind.Company
            ? Company(a, b, weights, similarities, present, minimum)
            : Person(a, b, weights, similarities, present, minimum);
        var score = Combine(weights, similarities, present, out var total);
        if (!complete || total == 0)
        {
            return score; // given up: the best still possible was already below the minimum
        }

        if (reasons is not null)
        {
            for (var f = 0; f < 5; f++)
            {
                if (present[f])
                {
                    reasons.Add(Reason(kind, f, weights[f] * similarities[f] / total, similarities[f]));
                }
            }

            reasons.Sort(static (x, y) => Math.Abs(y.Impact).CompareTo(Math.Abs(x.Impact)));
        }

        return score;
    }

    /// <summary>The weighted mean of the similarities of the fields present on both sides (0 when none is).</summary>
    private static double Combine(ReadOnlySpan<double> weights, ReadOnlySpan<double> similarities, ReadOnlySpan<bool> present, out double total)
    {
        total = 0.0;
        var sum = 0.0;
        for (var f = 0; f < weights.Length; f++)
        {
            if (present[f])
            {
                total += weights[f];
                sum += weights[f] * similarities[f];
            }
        }

        return total == 0 ? 0 : sum / total;
    }

    /// <summary>
    /// The better of the Jaro–Winkler similarity of the names as written and with their words sorted (so "Smith John" meets
    /// "John Smith" and "Bank of Oak" meets "Oak Bank of").
    /// </summary>
    internal static double NameSimilarity(DuplicateCandidate a, DuplicateCandidate b) =>
        Math.Max(JaroWinkler.Similarity(a.Name, b.Name), JaroWinkler.Similarity(a.SortedName, b.SortedName));

    /// <summary>
    /// Soft token overlap: the share of the words of both names that have a near-equal word (Jaro–Winkler ≥ 0.9) in the
    /// other name, so a typo in one word does not count the word as missing.
    /// </summary>
    internal static double TokenOverlap(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var matched = 0;
        foreach (var x in a)
        {
            matched += HasNear(x, b) ? 1 : 0;
        }

        foreach (var y in b)
        {
            matched += HasNear(y, a) ? 1 : 0;
        }

        return matched / (double)(a.Length + b.Length);
    }

    /// <summary>
    /// Persons: the mean of the first-name and last-name similarities, taking the better of the names as given and
    /// swapped; the last name alone when either first name is missing.
    /// </summary>
    internal static double PersonNameSimilarity(DuplicateCandidate a, DuplicateCandidate b)
    {
        if (a.Last is null || b.Last is null)
        {
            return a.Name is null || b.Name is null ? 0 : JaroWinkler.Similarity(a.Name, b.Name);
        }

        if (a.First is null || b.First is null)
        {
            return JaroWinkler.Similarity(a.Last, b.Last);
        }

        var straight = (JaroWinkler.Similarity(a.First, b.First) + JaroWinkler.Similarity(a.Last, b.Last)) / 2;
        var swapped = (JaroWinkler.Similarity(a.First, b.Last) + JaroWinkler.Similarity(a.Last, b.First)) / 2;
        return Math.Max(straight, swapped);
    }

    /// <summary>Fields: 0 name, 1 name words, 2 web domain, 3 phone, 4 city; false when given up below <paramref name="minimum"/>.</summary>
    private static bool Company(DuplicateCandidate a, DuplicateCandidate b, Span<double> w, Span<double> s, Span<bool> present, double minimum)
    {
        w[0] = CompanyNameWeight;
        w[1] = CompanyTokenWeight;
        w[2] = CompanyDomainWeight;
        w[3] = CompanyPhoneWeight;
        w[4] = CompanyCityWeight;
        // The exact fields are cheap: decide them first. The fuzzy ones count as perfect until computed, so the combined
        // score is the best still possible, and the pair is given up as soon as that falls below the minimum.
        present[0] = present[1] = a.Name is not null && b.Name is not null;
        s[0] = s[1] = 1;
        Exact(a.Domain, b.Domain, ref s[2], ref present[2]);
        Phones(a, b, ref s[3], ref present[3]);
        Exact(a.City, b.City, ref s[4], ref present[4]);
        if (!present[0])
        {
            return true;
        }

        if (Combine(w, s, present, out _) < minimum)
        {
            return false;
        }

        s[0] = NameSimilarity(a, b);
        if (Combine(w, s, present, out _) < minimum)
        {
            return false;
        }

        s[1] = TokenOverlap(a.Tokens, b.Tokens);
        return true;
    }

    /// <summary>Fields: 0 name, 1 e-mail, 2 phone, 3 account or company; false when given up below <paramref name="minimum"/>.</summary>
    private static bool Person(DuplicateCandidate a, DuplicateCandidate b, Span<double> w, Span<double> s, Span<bool> present, double minimum)
    {
        w[0] = PersonNameWeight;
        w[1] = PersonEmailWeight;
        w[2] = PersonPhoneWeight;
        w[3] = PersonCompanyWeight;
        present[0] = a.Name is not null && b.Name is not null;
        present[1] = a.Email is not null && b.Email is not null;
        s[0] = s[1] = 1;
        Phones(a, b, ref s[2], ref present[2]);
        var fuzzyCompany = false;
        if (a.AccountId is not null && b.AccountId is not null)
        {
            present[3] = true;
            s[3] = a.AccountId == b.AccountId ? 1 : 0;
        }
        else if (a.Company is not null && b.Company is not null)
        {
            present[3] = true;
            s[3] = 1;
            fuzzyCompany = true;
        }

        if (Combine(w, s, present, out _) < minimum)
        {
            return false;
        }

        if (present[1])
        {
            s[1] = EmailSimilarity(a.Email!, b.Email!);
            if (Combine(w, s, present, out _) < minimum)
            {
                return false;
            }
        }

        if (fuzzyCompany)
        {
            s[3] = JaroWinkler.Similarity(a.Company, b.Company);
            if (Combine(w, s, present, out _) < minimum)
            {
                return false;
            }
        }

        if (present[0])
        {
            s[0] = PersonNameSimilarity(a, b);
        }

        return true;
    }

    /// <summary>
    /// 1 for the same address. Otherwise the Jaro–Winkler similarity of the parts before the "@", times 0.8 at the same
    /// domain (a person's second address at their company, "jsmith@" for "john.smith@") or 0.4 at different domains.
    /// </summary>
    internal static double EmailSimilarity(string a, string b)
    {
        if (a == b)
        {
            return 1;
        }

        var atA = a.LastIndexOf('@');
        var atB = b.LastIndexOf('@');
        var local = JaroWinkler.Similarity(a.AsSpan(0, atA), b.AsSpan(0, atB));
        return local * (a.AsSpan(atA).SequenceEqual(b.AsSpan(atB)) ? 0.8 : 0.4);
    }

    private static void Exact(string? a, string? b, ref double similarity, ref bool present)
    {
        if (a is not null && b is not null)
        {
            present = true;
            similarity = a == b ? 1 : 0;
        }
    }

    private static void Phones(DuplicateCandidate a, DuplicateCandidate b, ref double similarity, ref bool present)
    {
        if ((a.Phone ?? a.OtherPhone) is null || (b.Phone ?? b.OtherPhone) is null)
        {
            return;
        }

        present = true;
        similarity = Same(a.Phone, b.Phone) || Same(a.Phone, b.OtherPhone) || Same(a.OtherPhone, b.Phone) || Same(a.OtherPhone, b.OtherPhone) ? 1 : 0;

        static bool Same(string? x, string? y) => x is not null && x == y;
    }

    private static bool HasNear(string token, string[] others)
    {
        foreach (var other in others)
        {
            if (other == token || JaroWinkler.Similarity(token, other) >= SameTokenSimilarity)
            {
                return true;
            }
        }

        return false;
    }

    private static ScoreReason Reason(CandidateKind kind, int field, double impact, double similarity)
    {
        var percent = similarity.ToString("P0", CultureInfo.InvariantCulture);
        if (kind == CandidateKind.Person && field == 3 && similarity is 0 or 1)
        {
            return new()
            {
                Factor = "company",
                Impact = impact,
                Description = similarity == 1 ? "Same account or company" : "Different account or company",
            };
        }

        return (kind, field) switch
        {
            (CandidateKind.Company, 0) => new()
            {
                Factor = "name",
                Impact = impact,
                Description = $"Names {percent} alike (Jaro-Winkler)",
            },
            (CandidateKind.Company, 1) => new()
            {
                Factor = "name_tokens",
                Impact = impact,
                Description = $"{percent} of the name words shared",
            },
            (CandidateKind.Company, 2) => new()
            {
                Factor = "web_domain",
                Impact = impact,
                Description = similarity == 1 ? "Same web domain" : "Different web domains",
            },
            (CandidateKind.Company, 3) => new()
            {
                Factor = "phone",
                Impact = impact,
                Description = similarity == 1 ? "Same phone number" : "Different phone numbers",
            },
            (CandidateKind.Company, _) => new()
            {
                Factor = "city",
                Impact = impact,
                Description = similarity == 1 ? "Same city" : "Different cities",
            },
            (_, 0) => new()
            {
                Factor = "name",
                Impact = impact,
                Description = $"Names {percent} alike (Jaro-Winkler, first and last name in either order)",
            },
            (_, 1) => new()
            {
                Factor = "email",
                Impact = impact,
                Description = similarity == 1 ? "Same e-mail address" : $"Different e-mail addresses, {percent} alike",
            },
            (_, 2) => new()
            {
                Factor = "phone",
                Impact = impact,
                Description = similarity == 1 ? "Same phone number" : "Different phone numbers",
            },
            _ => new() { Factor = "company", Impact = impact, Description = $"Companies {percent} alike" },
        };
    }
}
