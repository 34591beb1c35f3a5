using Atom.Salesforce.Client.Analytics.Data;

namespace Atom.Salesforce.Client.Analytics.Duplicates;

/// <summary>
/// Finds duplicate accounts, contacts and leads, and leads that match an existing contact or account. Fields are
/// normalised (case, accents, punctuation, company legal forms, web and e-mail domains without "www." and free-mail
/// providers, phone digits without country code); records are compared only when they share a blocking key (name
/// prefix or suffix, sorted name words, web domain, phone, e-mail), never all pairs; each compared pair gets a match
/// score 0–1 from Jaro–Winkler name similarity, word overlap and exact e-mail, phone and domain matches, with the reasons;
/// pairs at or above <see cref="DuplicateOptions.Threshold"/> are reported and joined into clusters. Thread-safe;
/// registered by <c>.AddAnalytics()</c>.
/// </summary>
public class DuplicateDetector
{
    /// <summary>Duplicate accounts, by name, web site, phone and billing city.</summary>
    /// <param name="accounts">The accounts; ids must be unique.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <exception cref="ArgumentException">An id is empty or repeated, or an option is out of range.</exception>
    public virtual DuplicateReport FindAccounts(IEnumerable<AccountRecord> accounts, DuplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var validated = DuplicateOptions.Validate(options);
        var candidates = Candidates(accounts, static a => a.Id, static a => DuplicateCandidate.FromAccount(a), nameof(accounts));
        return DuplicateEngine.Find(CandidateKind.Company, candidates, validated, crossSidesOnly: false);
    }

    /// <summary>Duplicate contacts, by first and last name (in either order), e-mail, phone or mobile, and account.</summary>
    /// <param name="contacts">The contacts; ids must be unique.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <exception cref="ArgumentException">An id is empty or repeated, or an option is out of range.</exception>
    public virtual DuplicateReport FindContacts(IEnumerable<ContactRecord> contacts, DuplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var validated = DuplicateOptions.Validate(options);
        var candidates = Candidates(contacts, static c => c.Id, static c => DuplicateCandidate.FromContact(c), nameof(contacts));
        return DuplicateEngine.Find(CandidateKind.Person, candidates, validated, crossSidesOnly: false);
    }

    /// <summary>Duplicate leads, by first and last name (in either order), e-mail, phone and company. Converted leads are left out unless <see cref="DuplicateOptions.IncludeConvertedLeads"/>.</summary>
    /// <param name="leads">The leads; ids must be unique.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <exception cref="ArgumentException">An id is empty or repeated, or an option is out of range.</exception>
    public virtual DuplicateReport FindLeads(IEnumerable<LeadRecord> leads, DuplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var validated = DuplicateOptions.Validate(options);
        var candidates = Candidates(Leads(leads, validated), static l => l.Id, static l => DuplicateCandidate.FromLead(l), nameof(leads));
        return DuplicateEngine.Find(CandidateKind.Person, candidates, validated, crossSidesOnly: false);
    }

    /// <summary>
    /// Leads that match an existing contact (the person is already known): each pair is a lead (<see cref="DuplicatePair.FirstId"/>)
    /// and a contact. Converted leads are left out unless <see cref="DuplicateOptions.IncludeConvertedLeads"/>.
    /// </summary>
    /// <param name="leads">The leads; ids must be unique.</param>
    /// <param name="contacts">The contacts; ids must be unique.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <exception cref="ArgumentException">An id is empty or repeated, or an option is out of range.</exception>
    public virtual DuplicateReport FindLeadsMatchingContacts(IEnumerable<LeadRecord> leads, IEnumerable<ContactRecord> contacts, DuplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(contacts);
        var validated = DuplicateOptions.Validate(options);
        var candidates = Candidates(Leads(leads, validated), static l => l.Id, static l => DuplicateCandidate.FromLead(l), nameof(leads));
        candidates.AddRange(Candidates(contacts, static c => c.Id, static c => DuplicateCandidate.FromContact(c, side: 1), nameof(contacts)));
        return DuplicateEngine.Find(CandidateKind.Person, candidates, validated, crossSidesOnly: true);
    }

    /// <summary>
    /// Leads whose company matches an existing account (by company name, the lead's company e-mail domain against the
    /// account's web site, and phone): each pair is a lead (<see cref="DuplicatePair.FirstId"/>) and an account. Converted
    /// leads are left out unless <see cref="DuplicateOptions.IncludeConvertedLeads"/>.
    /// </summary>
    /// <param name="leads">The leads; ids must be unique.</param>
    /// <param name="accounts">The accounts; ids must be unique.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <exception cref="ArgumentException">An id is empty or repeated, or an option is out of range.</exception>
    public virtual DuplicateReport FindLeadsMatchingAccounts(IEnumerable<LeadRecord> leads, IEnumerable<AccountRecord> accounts, DuplicateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(accounts);
        var validated = DuplicateOptions.Validate(options);
        var candidates = Candidates(Leads(leads, validated), static l => l.Id, static l => DuplicateCandidate.CompanyOfLead(l), nameof(leads));
        candidates.AddRange(Candidates(accounts, static a => a.Id, static a => DuplicateCandidate.FromAccount(a, side: 1), nameof(accounts)));
        return DuplicateEngine.Find(CandidateKind.Company, candidates, validated, crossSidesOnly: true);
    }

    /// <summary>Loads the org's accounts, contacts and leads (three queries at once) and runs every check.</summary>
    /// <param name="client">The org's client.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">An option is out of range (checked before any query).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<DuplicateScan> FindAsync(SalesforceClient client, DuplicateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        DuplicateOptions.Validate(options);
        var data = await SalesDataLoader.LoadAsync(client, SalesDataParts.Accounts | SalesDataParts.Contacts | SalesDataParts.Leads, cancellationToken).ConfigureAwait(false);
        return Scan(data, options);
    }

    /// <summary>Reads the accounts, contacts and leads from <paramref name="source"/> (Salesforce or a mirror of it) and runs every check.</summary>
    /// <param name="source">Where the records come from.</param>
    /// <param name="options">Threshold and block bounds; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentException">An option is out of range (checked before any read).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "Where the records come from (an org's client or a data source) is the type of the first, required argument, so no call that leaves the later arguments out is ambiguous.")]
    public virtual async Task<DuplicateScan> FindAsync(ISalesDataSource source, DuplicateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        DuplicateOptions.Validate(options);
        var data = await source.LoadAsync(SalesDataParts.Accounts | SalesDataParts.Contacts | SalesDataParts.Leads, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Scan(data, options);
    }

    private DuplicateScan Scan(SalesData data, DuplicateOptions? options) => new()
    {
        Accounts = FindAccounts(data.Accounts, options),
        Contacts = FindContacts(data.Contacts, options),
        Leads = FindLeads(data.Leads, options),
        LeadsMatchingContacts = FindLeadsMatchingContacts(data.Leads, data.Contacts, options),
        LeadsMatchingAccounts = FindLeadsMatchingAccounts(data.Leads, data.Accounts, options),
    };

    private static IEnumerable<LeadRecord> Leads(IEnumerable<LeadRecord> leads, DuplicateOptions options) =>
        options.IncludeConvertedLeads ? leads : leads.Where(static l => l is null || !l.IsConverted);

    private static List<DuplicateCandidate> Candidates<T>(IEnumerable<T> records, Func<T, string> id, Func<T, DuplicateCandidate> normalize, string parameter)
        where T : class
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<DuplicateCandidate>();
        foreach (var record in records)
        {
            if (record is null)
            {
                throw new ArgumentException("The records must not contain null.", parameter);
            }

            var recordId = id(record);
            if (string.IsNullOrEmpty(recordId))
            {
                throw new ArgumentException("Every record needs an Id.", parameter);
            }

            if (!seen.Add(recordId))
            {
                throw new ArgumentException($"The id {recordId} appears twice.", parameter);
            }

            candidates.Add(normalize(record));
        }

        return candidates;
    }
}
