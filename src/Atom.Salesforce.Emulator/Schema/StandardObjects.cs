namespace Atom.Salesforce.Emulator.Schema;

/// <summary>
/// The standard objects of the sales pipeline, with the fields, picklists and relationships of a new org
/// (reference §7). System fields (Id, IsDeleted, CreatedDate, ...) are added by <see cref="OrgSchema"/>.
/// </summary>
internal static class StandardObjects
{
    public static readonly string[] Industries =
    [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction", "Consulting",
        "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental", "Finance", "Food & Beverage",
        "Government", "Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit",
        "Recreation", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation", "Utilities", "Other",
    ];

    public static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    public static readonly string[] LeadStatuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"];

    /// <summary>The default opportunity stages: name, probability, forecast category (API value), closed, won.</summary>
    public static readonly (string Name, int Probability, string ForecastCategory, bool IsClosed, bool IsWon)[] Stages =
    [
        ("Prospecting", 10, "Pipeline", false, false),
        ("Qualification", 10, "Pipeline", false, false),
        ("Needs Analysis", 20, "Pipeline", false, false),
        ("Value Proposition", 50, "Pipeline", false, false),
        ("Id. Decision Makers", 60, "Pipeline", false, false),
        ("Perception Analysis", 70, "Pipeline", false, false),
        ("Proposal/Price Quote", 75, "Pipeline", false, false),
        ("Negotiation/Review", 90, "Pipeline", false, false),
        ("Closed Won", 100, "Closed", true, true),
        ("Closed Lost", 0, "Omitted", true, false),
    ];

    /// <summary>Forecast category API values and their labels (ForecastCategoryName).</summary>
    public static readonly Dictionary<string, string> ForecastCategoryNames = new(StringComparer.Ordinal)
    {
        ["Omitted"] = "Omitted",
        ["Pipeline"] = "Pipeline",
        ["BestCase"] = "Best Case",
        ["MostLikely"] = "Most Likely",
        ["Forecast"] = "Commit",
        ["Closed"] = "Closed",
    };

    public static IReadOnlyList<SObjectDefinition> All { get; } =
    [
        new("Account",
        [
            Text("Name", required: true) with { NameField = true },
            Picklist("Type", "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Installation Partner", "Technology Partner", "Other"),
            Lookup("ParentId", "Account", "Parent", "ChildAccounts"),
            Picklist("Industry", Industries),
            new FieldDefinition("AnnualRevenue", FieldType.Currency) { Precision = 18, Scale = 0 },
            new FieldDefinition("NumberOfEmployees", FieldType.Int) { Precision = 8 },
            new FieldDefinition("Phone", FieldType.Phone) { Length = 40 },
            new FieldDefinition("Website", FieldType.Url),
            .. Address("Billing"),
            .. Address("Shipping"),
            Picklist("AccountSource", LeadSources),
            Picklist("Rating", "Hot", "Warm", "Cold"),
            new FieldDefinition("Fax", FieldType.Phone) { Length = 40 },
            Text("AccountNumber", 40),
            Text("Site", 80),
            Text("Sic", 20),
            Text("SicDesc", 80),
            Picklist("Ownership", "Public", "Private", "Subsidiary", "Other"),
            Text("TickerSymbol", 20),
            Text("Jigsaw", 20),
            ReadOnly(Text("JigsawCompanyId", 20)),
            LongText("Description"),
            ReadOnly(new FieldDefinition("LastActivityDate", FieldType.Date)),
            MasterRecord("Account"),
        ]) { KeyPrefix = "001" },
        new("Contact",
        [
            Lookup("AccountId", "Account", "Account", "Contacts"),
            Text("FirstName", 40),
            Text("LastName", 80, required: true),
            ReadOnly(Text("Name", 121)) with { NameField = true, Calculated = true },
            new FieldDefinition("Email", FieldType.Email) { Length = 80 },
            new FieldDefinition("Phone", FieldType.Phone) { Length = 40 },
            new FieldDefinition("MobilePhone", FieldType.Phone) { Length = 40 },
            Text("Title", 128),
            Text("Department", 80),
            Picklist("LeadSource", LeadSources),
            Lookup("ReportsToId", "Contact", "ReportsTo", null),
            .. Address("Mailing"),
            new FieldDefinition("HasOptedOutOfEmail", FieldType.Boolean) { DefaultValue = false },
            new FieldDefinition("DoNotCall", FieldType.Boolean) { DefaultValue = false },
            new FieldDefinition("Birthdate", FieldType.Date),
            LongText("Description"),
            MasterRecord("Contact"),
        ]) { KeyPrefix = "003" },
        new("Lead",
        [
            Text("FirstName", 40),
            Text("LastName", 80, required: true),
            ReadOnly(Text("Name", 121)) with { NameField = true, Calculated = true },
            Text("Company", 255, required: true),
            Text("Title", 128),
            new FieldDefinition("Email", FieldType.Email) { Length = 80 },
            new FieldDefinition("Phone", FieldType.Phone) { Length = 40 },
            Picklist("Status", LeadStatuses) with { DefaultValue = "Open - Not Contacted", RestrictedPicklist = true },
            Picklist("LeadSource", LeadSources),
            Picklist("Rating", "Hot", "Warm", "Cold"),
            Picklist("Industry", Industries),
            new FieldDefinition("AnnualRevenue", FieldType.Currency) { Precision = 18, Scale = 0 },
            new FieldDefinition("NumberOfEmployees", FieldType.Int) { Precision = 8 },
            ReadOnly(new FieldDefinition("IsConverted", FieldType.Boolean)) with { DefaultValue = false },
            ReadOnly(new FieldDefinition("ConvertedDate", FieldType.Date)),
            ReadOnly(Lookup("ConvertedAccountId", "Account", "ConvertedAccount", null)),
            ReadOnly(Lookup("ConvertedContactId", "Contact", "ConvertedContact", null)),
            ReadOnly(Lookup("ConvertedOpportunityId", "Opportunity", "ConvertedOpportunity", null)),
            new FieldDefinition("IsUnreadByOwner", FieldType.Boolean) { DefaultValue = true },
            .. Address(string.Empty),
            LongText("Description"),
            MasterRecord("Lead"),
        ]) { KeyPrefix = "00Q" },
        new("Opportunity",
        [
            Lookup("AccountId", "Account", "Account", "Opportunities"),
            Text("Name", 120, required: true) with { NameField = true },
            Picklist("StageName", [.. Stages.Select(s => s.Name)]) with { Required = true, RestrictedPicklist = true, Label = "Stage" },
            new FieldDefinition("CloseDate", FieldType.Date) { Required = true },
            new FieldDefinition("Amount", FieldType.Currency) { Precision = 16, Scale = 2 },
            new FieldDefinition("Probability", FieldType.Percent) { Precision = 3, Scale = 0 },
            ReadOnly(new FieldDefinition("ExpectedRevenue", FieldType.Currency) { Precision = 16, Scale = 2, Calculated = true }),
            Picklist("Type", "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"),
            Text("NextStep", 255),
            Picklist("LeadSource", LeadSources),
            ReadOnly(new FieldDefinition("IsClosed", FieldType.Boolean)),
            ReadOnly(new FieldDefinition("IsWon", FieldType.Boolean)),
            ReadOnly(Picklist("ForecastCategory", [.. ForecastCategoryNames.Keys])),
            Picklist("ForecastCategoryName", [.. ForecastCategoryNames.Values]) with { RestrictedPicklist = true },
            Lookup("CampaignId", "Campaign", "Campaign", "Opportunities"),
            ReadOnly(new FieldDefinition("HasOpportunityLineItem", FieldType.Boolean)) with { DefaultValue = false },
            ReadOnly(new FieldDefinition("FiscalYear", FieldType.Int)),
            ReadOnly(new FieldDefinition("FiscalQuarter", FieldType.Int)),
            ReadOnly(new FieldDefinition("LastStageChangeDate", FieldType.DateTime)),
            ReadOnly(new FieldDefinition("LastActivityDate", FieldType.Date)),
            LongText("Description"),
        ]) { KeyPrefix = "006" },
        new("OpportunityHistory",
        [
            Lookup("OpportunityId", "Opportunity", "Opportunity", "OpportunityHistories"),
            Picklist("StageName", [.. Stages.Select(s => s.Name)]),
            new FieldDefinition("Amount", FieldType.Currency) { Precision = 16, Scale = 2 },
            new FieldDefinition("ExpectedRevenue", FieldType.Currency) { Precision = 16, Scale = 2 },
            new FieldDefinition("CloseDate", FieldType.Date),
            new FieldDefinition("Probability", FieldType.Percent) { Precision = 3 },
            Picklist("ForecastCategory", [.. ForecastCategoryNames.Keys]),
            new FieldDefinition("PrevAmount", FieldType.Currency) { Precision = 16, Scale = 2 },
            new FieldDefinition("PrevCloseDate", FieldType.Date),
        ]) { KeyPrefix = "008", HasOwner = false, Writable = false },
        new("OpportunityStage",
        [
            Text("MasterLabel", 255) with { NameField = true },
            Text("ApiName", 255),
            new FieldDefinition("IsActive", FieldType.Boolean),
            new FieldDefinition("SortOrder", FieldType.Int),
            new FieldDefinition("IsClosed", FieldType.Boolean),
            new FieldDefinition("IsWon", FieldType.Boolean),
            Picklist("ForecastCategory", [.. ForecastCategoryNames.Keys]),
            Picklist("ForecastCategoryName", [.. ForecastCategoryNames.Values]),
            new FieldDefinition("DefaultProbability", FieldType.Percent) { Precision = 3 },
            Text("Description", 255),
        ]) { KeyPrefix = "01J", HasOwner = false, Writable = false },
        new("OpportunityContactRole",
        [
            Lookup("OpportunityId", "Opportunity", "Opportunity", "OpportunityContactRoles") with { Required = true },
            Lookup("ContactId", "Contact", "Contact", "OpportunityContactRoles") with { Required = true },
            Picklist("Role", "Business User", "Decision Maker", "Economic Buyer", "Economic Decision Maker", "Evaluator", "Executive Sponsor", "Influencer", "Technical Buyer", "Other"),
            new FieldDefinition("IsPrimary", FieldType.Boolean) { DefaultValue = false },
        ]) { KeyPrefix = "00K", HasOwner = false },
        new("Task",
        [
            Lookup("WhoId", ["Contact", "Lead"], "Who", "Tasks"),
            Lookup("WhatId", ["Account", "Opportunity", "Campaign"], "What", "Tasks"),
            Text("Subject", 255) with { NameField = true },
            new FieldDefinition("ActivityDate", FieldType.Date),
            Picklist("Status", "Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred") with { DefaultValue = "Not Started" },
            Picklist("Priority", "High", "Normal", "Low") with { DefaultValue = "Normal" },
            ReadOnly(new FieldDefinition("IsClosed", FieldType.Boolean)),
            ReadOnly(new FieldDefinition("IsHighPriority", FieldType.Boolean)),
            Picklist("Type", "Call", "Email", "Meeting", "Other"),
            Picklist("TaskSubtype", "Task", "Email", "ListEmail", "Cadence", "Call", "LinkedIn"),
            new FieldDefinition("CallDurationInSeconds", FieldType.Int),
            ReadOnly(Lookup("AccountId", "Account", "Account", null)),
            LongText("Description"),
        ]) { KeyPrefix = "00T" },
        new("Event",
        [
            Lookup("WhoId", ["Contact", "Lead"], "Who", "Events"),
            Lookup("WhatId", ["Account", "Opportunity", "Campaign"], "What", "Events"),
            Text("Subject", 255) with { NameField = true },
            Text("Location", 255),
            new FieldDefinition("IsAllDayEvent", FieldType.Boolean) { DefaultValue = false },
            new FieldDefinition("ActivityDateTime", FieldType.DateTime),
            new FieldDefinition("ActivityDate", FieldType.Date),
            new FieldDefinition("DurationInMinutes", FieldType.Int),
            new FieldDefinition("StartDateTime", FieldType.DateTime),
            new FieldDefinition("EndDateTime", FieldType.DateTime),
            Picklist("ShowAs", "Busy", "OutOfOffice", "Free") with { DefaultValue = "Busy" },
            Picklist("Type", "Call", "Email", "Meeting", "Other"),
            ReadOnly(Lookup("AccountId", "Account", "Account", null)),
            LongText("Description"),
        ]) { KeyPrefix = "00U" },
        new("User",
        [
            Text("Username", 80, required: true) with { Unique = true },
            Text("FirstName", 40),
            Text("LastName", 80, required: true),
            ReadOnly(Text("Name", 121)) with { NameField = true, Calculated = true },
            new FieldDefinition("Email", FieldType.Email) { Length = 128, Required = true },
            Text("Alias", 8, required: true),
            Text("CommunityNickname", 40),
            new FieldDefinition("IsActive", FieldType.Boolean) { DefaultValue = true },
            Lookup("ManagerId", "User", "Manager", null),
            Text("Title", 80),
            Text("Department", 80),
            Picklist("TimeZoneSidKey", "America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo", "GMT") with { DefaultValue = "GMT" },
            Picklist("LocaleSidKey", "en_US", "en_GB", "fr_FR", "de_DE", "ja_JP") with { DefaultValue = "en_US" },
            Picklist("LanguageLocaleKey", "en_US", "fr", "de", "ja") with { DefaultValue = "en_US" },
            Picklist("EmailEncodingKey", "UTF-8", "ISO-8859-1") with { DefaultValue = "UTF-8" },
            ReadOnly(Picklist("UserType", "Standard", "PowerPartner", "CsnOnly")) with { DefaultValue = "Standard" },
            Lookup("ProfileId", "Profile", "Profile", "Users"),
            Lookup("UserRoleId", "UserRole", "UserRole", "Users"),
        ]) { KeyPrefix = "005", HasOwner = false },

        // Setup objects clients read (Object Reference: Organization, Profile, UserRole, RecordType, Group), with the
        // fields tools commonly select. Organization, Profile and RecordType are read-only through the data API.
        new("Organization",
        [
            ReadOnly(Text("Name", 80)) with { NameField = true },
            ReadOnly(Text("Division", 80)),
            ReadOnly(Picklist("OrganizationType", "Team Edition", "Professional Edition", "Enterprise Edition", "Developer Edition", "Personal Edition", "Unlimited Edition", "Contact Manager Edition", "Base Edition")),
            ReadOnly(new FieldDefinition("IsSandbox", FieldType.Boolean)),
            ReadOnly(new FieldDefinition("IsReadOnly", FieldType.Boolean)),
            ReadOnly(Text("InstanceName", 5)),
            ReadOnly(Text("NamespacePrefix", 15)),
            ReadOnly(Picklist("DefaultLocaleSidKey", "en_US", "en_GB", "fr_FR", "de_DE", "ja_JP")),
            ReadOnly(Picklist("LanguageLocaleKey", "en_US", "fr", "de", "ja")),
            ReadOnly(Picklist("TimeZoneSidKey", "America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo", "GMT")),
            ReadOnly(new FieldDefinition("TrialExpirationDate", FieldType.DateTime)),
            ReadOnly(new FieldDefinition("FiscalYearStartMonth", FieldType.Int) { Precision = 2 }),
            ReadOnly(Text("Country", 80)),
            ReadOnly(new FieldDefinition("Phone", FieldType.Phone) { Length = 40 }),
            ReadOnly(Text("PrimaryContact", 80)),
        ]) { KeyPrefix = "00D", HasOwner = false, Writable = false },
        new("Profile",
        [
            ReadOnly(Text("Name", 255)) with { NameField = true },
            ReadOnly(Picklist("UserType", "Standard", "PowerPartner", "CsnOnly", "Guest")),
            ReadOnly(Text("Description", 255)),
        ]) { KeyPrefix = "00e", HasOwner = false, Writable = false },
        new("UserRole",
        [
            Text("Name", 80, required: true) with { NameField = true },
            Text("DeveloperName", 80),
            Lookup("ParentRoleId", "UserRole", "ParentRole", null),
            Text("RollupDescription", 80),
            Picklist("OpportunityAccessForAccountOwner", "None", "Read", "Edit"),
        ]) { KeyPrefix = "00E", HasOwner = false },
        new("RecordType",
        [
            ReadOnly(Text("Name", 80)) with { NameField = true },
            ReadOnly(Text("DeveloperName", 80)),
            ReadOnly(Text("SobjectType", 40)),
            ReadOnly(new FieldDefinition("IsActive", FieldType.Boolean)),
            ReadOnly(Text("Description", 255)),
            ReadOnly(Text("NamespacePrefix", 15)),
        ]) { KeyPrefix = "012", HasOwner = false, Writable = false },
        new("Group",
        [
            // Role groups have no name, so Name is not required here (Salesforce requires it for regular groups and queues).
            Text("Name", 40) with { NameField = true },
            Text("DeveloperName", 80),
            Picklist("Type", "Regular", "Role", "RoleAndSubordinates", "RoleAndSubordinatesInternal", "Organization", "Queue", "Manager", "ManagerAndSubordinatesInternal") with { DefaultValue = "Regular" },
            new FieldDefinition("Email", FieldType.Email) { Length = 255 },
            new FieldDefinition("DoesSendEmailToMembers", FieldType.Boolean),
            new FieldDefinition("DoesIncludeBosses", FieldType.Boolean),
            ReadOnly(Lookup("RelatedId", "UserRole", "Related", null)),
        ]) { KeyPrefix = "00G" },
        new("Campaign",
        [
            Text("Name", 80, required: true) with { NameField = true },
            Picklist("Type", "Advertisement", "Banner Ads", "Conference", "Direct Mail", "Email", "Partners", "Public Relations", "Referral Program", "Seminar / Conference", "Telemarketing", "Webinar", "Other"),
            Picklist("Status", "Planned", "In Progress", "Completed", "Aborted") with { DefaultValue = "Planned" },
            new FieldDefinition("StartDate", FieldType.Date),
            new FieldDefinition("EndDate", FieldType.Date),
            new FieldDefinition("IsActive", FieldType.Boolean) { DefaultValue = false },
            new FieldDefinition("BudgetedCost", FieldType.Currency) { Precision = 18, Scale = 0 },
            new FieldDefinition("ActualCost", FieldType.Currency) { Precision = 18, Scale = 0 },
            new FieldDefinition("ExpectedRevenue", FieldType.Currency) { Precision = 18, Scale = 0 },
            Lookup("ParentId", "Campaign", "Parent", "ChildCampaigns"),
            LongText("Description"),
        ]) { KeyPrefix = "701" },
        new("CampaignMember",
        [
            Lookup("CampaignId", "Campaign", "Campaign", "CampaignMembers") with { Required = true },
            Lookup("LeadId", "Lead", "Lead", "CampaignMembers"),
            Lookup("ContactId", "Contact", "Contact", "CampaignMembers"),
            Picklist("Status", "Planned", "Sent", "Received", "Responded") with { DefaultValue = "Sent" },
            ReadOnly(new FieldDefinition("HasResponded", FieldType.Boolean)),
            new FieldDefinition("FirstRespondedDate", FieldType.Date),
        ]) { KeyPrefix = "00v", HasOwner = false },
    ];

    private static FieldDefinition Text(string name, int length = 255, bool required = false) =>
        new(name, FieldType.String) { Length = length, Required = required };

    private static FieldDefinition LongText(string name) => new(name, FieldType.TextArea) { Length = 32000 };

    private static FieldDefinition Picklist(string name, params string[] values) => new(name, FieldType.Picklist) { PicklistValues = values };

    private static FieldDefinition Lookup(string name, string target, string relationship, string? children) =>
        Lookup(name, [target], relationship, children);

    private static FieldDefinition Lookup(string name, string[] targets, string relationship, string? children) =>
        new(name, FieldType.Reference) { ReferenceTo = targets, RelationshipName = relationship, ChildRelationshipName = children, Length = 18 };

    private static FieldDefinition ReadOnly(FieldDefinition field) => field with { Createable = false, Updateable = false };

    /// <summary>
    /// MasterRecordId on the mergeable objects (Object Reference, Account/Contact/Lead: "If this record was deleted as the
    /// result of a merge, this field contains the ID of the record that remains"): read-only, set by SOAP merge().
    /// </summary>
    private static FieldDefinition MasterRecord(string obj) => ReadOnly(Lookup("MasterRecordId", obj, "MasterRecord", null));

    /// <summary>
    /// An address: its components and the read-only compound field over them (<c>BillingAddress</c>; <c>Address</c> on
    /// Lead). Components as in the Object Reference (Account: BillingStreet ... BillingGeocodeAccuracy) and "Compound
    /// Fields" / "Address Compound Fields" in the SOAP API guide, which lists the geocode fields and their picklist.
    /// </summary>
    private static FieldDefinition[] Address(string prefix)
    {
        var compound = prefix + "Address";
        return
        [
            new(prefix + "Street", FieldType.TextArea) { Length = 255, CompoundFieldName = compound },
            Text(prefix + "City", 40) with { CompoundFieldName = compound },
            Text(prefix + "State", 80) with { CompoundFieldName = compound },
            Text(prefix + "PostalCode", 20) with { CompoundFieldName = compound },
            Text(prefix + "Country", 80) with { CompoundFieldName = compound },
            new(prefix + "Latitude", FieldType.Double) { Precision = 18, Scale = 15, CompoundFieldName = compound },
            new(prefix + "Longitude", FieldType.Double) { Precision = 18, Scale = 15, CompoundFieldName = compound },
            Picklist(prefix + "GeocodeAccuracy", "Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "Neighborhood", "City", "County", "State", "Unknown") with { CompoundFieldName = compound },
            new(compound, FieldType.Address) { Createable = false, Updateable = false },
        ];
    }
}
