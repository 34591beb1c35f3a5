namespace Atom.Salesforce.Client.AspNetCore.OpenApi;

/// <summary>
/// The request bodies the seed service documents ("Example Requests", "Analytics Examples"), as it gives them: the OpenAPI
/// document shows them as each route's example, so the documented spelling is the first one a reader sees.
/// </summary>
internal static class DocumentedExamples
{
    public const string AccountsList = """
        {"user_id": "user123", "query": "AnnualRevenue > 1000000", "fields": ["Id", "Name", "AnnualRevenue", "Industry"], "limit": 50}
        """;

    public const string AccountsCreate = """
        {"user_id": "user123", "account_data": {"Name": "Global Tech Solutions", "Type": "Technology Partner", "Industry": "Technology",
          "AnnualRevenue": 5000000, "Phone": "+1-555-0123", "Website": "https://globaltech.example.com", "BillingCity": "San Francisco",
          "BillingState": "CA", "BillingCountry": "US"}}
        """;

    // The seed's account_id ("0012800000123456") has 16 characters, and its stage "Proposal/Quote" is no default stage:
    // the example uses an 18-character id (of no real record) and the default "Proposal/Price Quote" so that it works as written.
    public const string OpportunitiesCreate = """
        {"user_id": "user123", "account_id": "001Hs0000012345IAA", "opportunity_data": {"Name": "Enterprise Software License",
          "StageName": "Proposal/Price Quote", "Amount": 250000, "CloseDate": "2025-12-31", "Probability": 75, "Type": "New Business",
          "LeadSource": "Partner Referral"}}
        """;

    public const string LeadsCreate = """
        {"user_id": "user123", "lead_data": {"FirstName": "John", "LastName": "Smith", "Company": "Acme Corporation",
          "Email": "john.smith@acme.com", "Phone": "+1-555-0123", "LeadSource": "Web Form", "Status": "Open - Not Contacted"}}
        """;

    public const string PipelineAnalytics = """
        {"user_id": "user123", "date_range": {"start_date": "2025-01-01", "end_date": "2025-12-31"}, "group_by": "StageName"}
        """;

    public const string LeadAnalytics = """
        {"user_id": "user123", "date_range": "last_30_days", "filters": {"lead_source": ["Web", "Referral", "Partner"]}}
        """;
}
