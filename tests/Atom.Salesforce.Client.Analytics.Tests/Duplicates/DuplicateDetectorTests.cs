using Atom.Salesforce.Client.Analytics.Data;
using Atom.Salesforce.Client.Analytics.Duplicates;

namespace Atom.Salesforce.Client.Analytics.Tests.Duplicates;

public sealed class DuplicateDetectorTests
{
    private readonly DuplicateDetector _detector = new();

    [Fact]
    public void Blocking_keys_of_an_account_are_phone_domain_name_prefix_and_suffix()
    {
        var account = DuplicateCandidate.FromAccount(new AccountRecord
        {
            Id = "001A", Name = "Northwind Traders Inc.", Website = "https://www.northwind.com", Phone = "+1 415 555 0100",
        });

        // Squashed name "northwindtraders": prefix "nort", suffix "ders"; its words are already in order, so no sorted key.
        Assert.Equal(["p4155550100", "dnorthwind.com", "nnort", "rders"], account.BlockingKeys(CandidateKind.Company));
    }

    [Fact]
    public void Blocking_keys_of_a_person_are_email_phone_and_three_name_keys()
    {
        var contact = DuplicateCandidate.FromContact(new ContactRecord
        {
            Id = "003A", FirstName = "José", LastName = "de Vries", Email = "Jose.deVries@Acme.com", MobilePhone = "+31 20 123 4567",
        });

        Assert.Equal(
            ["mjose.devries@acme.com", "p201234567", "ndevries|j", "fjose|d", "sdevries jose"],
            contact.BlockingKeys(CandidateKind.Person));
    }

    [Fact]
    public void An_account_score_is_the_weighted_mean_over_the_fields_both_records_have()
    {
        var a = DuplicateCandidate.FromAccount(new AccountRecord { Id = "001A", Name = "Acme Inc.", Website = "acme.com", Phone = "+1 415 555 0100", BillingCity = "Boston" });
        var b = DuplicateCandidate.FromAccount(new AccountRecord { Id = "001B", Name = "ACME Incorporated", Website = "https://acme.co.uk", Phone = "(415) 555-0100" });
        var reasons = new List<ScoreReason>();

        var score = MatchScorer.Score(CandidateKind.Company, a, b, reasons);

        // Name 1 (0.5), words 1 (0.15), domain 0 (0.3), phone 1 (0.15); city missing on one side: (0.5 + 0.15 + 0.15) / 1.1.
        Assert.Equal(0.8 / 1.1, score, 10);
        Assert.Equal(["name", "name_tokens", "phone", "web_domain"], reasons.Select(r => r.Factor));
        Assert.Equal(0.5 / 1.1, reasons[0].Impact, 10);
        Assert.Equal(0, reasons[3].Impact);
        Assert.Equal("Different web domains", reasons[3].Description);
        Assert.Equal(score, reasons.Sum(r => r.Impact), 10);
    }

    [Fact]
    public void A_person_score_reads_names_in_either_order_and_e_mail_addresses_by_similarity()
    {
        var a = DuplicateCandidate.FromContact(new ContactRecord { Id = "003A", AccountId = "001A", FirstName = "John", LastName = "Smith", Email = "john.smith@acme.com", Phone = "4155550100" });
        var swapped = DuplicateCandidate.FromContact(new ContactRecord { Id = "003B", AccountId = "001A", FirstName = "Smith", LastName = "John", Phone = "+1 415-555-0100" });
        var elsewhere = DuplicateCandidate.FromContact(new ContactRecord { Id = "003C", AccountId = "001A", FirstName = "John", LastName = "Smith", Email = "john.smith@other.com", Phone = "4155550199" });

        // Swapped names match fully; no e-mail on one side; same phone and account: (0.45 + 0.2 + 0.15) / 0.8 = 1.
        Assert.Equal(1, MatchScorer.Score(CandidateKind.Person, a, swapped, null), 10);
        // Same local part at another domain: e-mail 1 × 0.4; phone differs: (0.45 + 0.35·0.4 + 0 + 0.15) / 1.15.
        var reasons = new List<ScoreReason>();
        Assert.Equal(0.74 / 1.15, MatchScorer.Score(CandidateKind.Person, a, elsewhere, reasons), 10);
        Assert.Equal(
            [("name", "Names 100 % alike (Jaro-Winkler, first and last name in either order)"), ("company", "Same account or company"),
             ("email", "Different e-mail addresses, 40 % alike"), ("phone", "Different phone numbers")],
            reasons.Select(r => (r.Factor, r.Description)));
        // MARTHA/MARHTA (0.9611) at one domain: 0.9611 × 0.8.
        Assert.Equal(0.9611 * 0.8, MatchScorer.EmailSimilarity("martha@x.com", "marhta@x.com"), 4);
    }

    [Fact]
    public void Records_sharing_no_blocking_key_are_never_compared()
    {
        AccountRecord[] accounts =
        [
            new() { Id = "001A", Name = "Northwind Traders", Phone = "+1 415 555 0100" },
            new() { Id = "001B", Name = "Contoso Pharmaceuticals", Phone = "+1 212 555 0100" },
            new() { Id = "001C", Name = "Fabrikam", Website = "fabrikam.com" },
        ];

        var report = _detector.FindAccounts(accounts);

        Assert.Equal(3, report.RecordCount);
        Assert.Equal(0, report.Comparisons);
        Assert.Empty(report.Pairs);
    }

    [Fact]
    public void An_oversized_block_is_compared_by_sorted_neighbourhood()
    {
        // Five accounts share one phone (a block of 5 > 2): sorted by name, each is compared with the next one only.
        var accounts = Enumerable.Range(0, 5)
            .Select(i => new AccountRecord { Id = $"001{i}", Name = $"Company {(char)('A' + (i * 5))}{(char)('a' + i)}zzz", Phone = "+1 415 555 0100" })
            .ToList();

        var report = _detector.FindAccounts(accounts, new DuplicateOptions { MaxBlockSize = 2, NeighbourhoodWindow = 1, Threshold = 0 });

        Assert.True(report.OversizedBlocks >= 1);
        // The phone block alone gives 4 neighbour pairs; the name blocks ("ncomp" prefix of all five, also oversized) add
        // the same four pairs again, which are not scored twice.
        Assert.Equal(4, report.Comparisons);
    }

    [Fact]
    public void Pairs_above_the_threshold_join_into_clusters()
    {
        AccountRecord[] accounts =
        [
            new() { Id = "001A", Name = "Globex", Phone = "+1 415 555 0100" },
            new() { Id = "001B", Name = "Globex Corp", Phone = "415.555.0100", Website = "globex.com" },
            new() { Id = "001C", Name = "GLOBEX Corporation", Website = "https://www.globex.com" },
            new() { Id = "001D", Name = "Initech", Website = "initech.com" },
            new() { Id = "001E", Name = "Initech", Website = "initech.de", Phone = "+49 30 1234567" },
        ];

        var report = _detector.FindAccounts(accounts);

        // A, B and C are one company (A–B phone and name, B–C domain and name, A–C name); the two Initechs have
        // different domains: (0.5 + 0.15 + 0) / 0.95 = 0.684 < 0.8.
        var cluster = Assert.Single(report.Clusters);
        Assert.Equal(["001A", "001B", "001C"], cluster.Ids);
        Assert.Equal(3, report.Pairs.Count);
        Assert.All(report.Pairs, p => Assert.True(p.Score >= 0.8));
    }

    [Fact]
    public void Union_find_joins_transitively()
    {
        var forest = new UnionFind(5);
        Assert.True(forest.Union(0, 1));
        Assert.True(forest.Union(2, 3));
        Assert.True(forest.Union(1, 2));
        Assert.False(forest.Union(0, 3));

        Assert.Equal(forest.Find(0), forest.Find(3));
        Assert.NotEqual(forest.Find(0), forest.Find(4));
    }

    [Fact]
    public void A_lead_matching_an_existing_contact_or_account_is_reported_across_objects_only()
    {
        LeadRecord[] leads =
        [
            new() { Id = "00QA", FirstName = "Jane", LastName = "Doe", Email = "Jane.Doe@acme.com", Company = "Acme, Inc.", Phone = "+1 415 555 0100" },
            new() { Id = "00QB", FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.com", Company = "Acme" },
            new() { Id = "00QC", FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.com", Company = "Acme", IsConverted = true },
        ];
        ContactRecord[] contacts = [new() { Id = "003A", FirstName = "Doe", LastName = "Jane", Email = "jane.doe@acme.com" }];
        AccountRecord[] accounts = [new() { Id = "001A", Name = "ACME Incorporated", Website = "www.acme.com", Phone = "415-555-0100" }];

        var toContacts = _detector.FindLeadsMatchingContacts(leads, contacts);
        var toAccounts = _detector.FindLeadsMatchingAccounts(leads, accounts);

        // The two open leads match the contact (same address, names swapped); the converted one is left out; the leads
        // are not paired with each other.
        Assert.Equal([("00QA", "003A"), ("00QB", "003A")], toContacts.Pairs.Select(p => (p.FirstId, p.SecondId)).Order());
        Assert.Equal([("00QA", "001A"), ("00QB", "001A")], toAccounts.Pairs.Select(p => (p.FirstId, p.SecondId)).Order());
        Assert.Equal(1, toAccounts.Pairs[0].Score, 10);
    }

    [Fact]
    public void Bad_input_is_rejected_before_any_work()
    {
        AccountRecord[] twice = [new() { Id = "001A", Name = "A" }, new() { Id = "001A", Name = "B" }];

        Assert.Throws<ArgumentNullException>(() => _detector.FindAccounts(null!));
        Assert.Throws<ArgumentException>(() => _detector.FindAccounts(twice));
        Assert.Throws<ArgumentException>(() => _detector.FindAccounts([new AccountRecord { Id = "" }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _detector.FindAccounts([], new DuplicateOptions { Threshold = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _detector.FindContacts([], new DuplicateOptions { MaxBlockSize = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _detector.FindLeads([], new DuplicateOptions { NeighbourhoodWindow = 0 }));
    }
}
