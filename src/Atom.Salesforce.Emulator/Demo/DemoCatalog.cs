namespace Atom.Salesforce.Emulator.Demo;

/// <summary>A city accounts, leads and contacts live in, with its phone prefix.</summary>
internal sealed record DemoCity(string Name, string? State, string Country, string PhonePrefix, string Domain);

/// <summary>A sales territory: a manager's team and the cities its accounts are in.</summary>
internal sealed record DemoRegion(string Name, double Weight, string TimeZone, string Locale, DemoCity[] Cities);

/// <summary>An industry: how common it is, and how it moves win rates and deal sizes.</summary>
internal sealed record DemoIndustry(string Name, double Weight, double WinFactor, double AmountFactor, string[] NameSuffixes);

/// <summary>
/// A lead source: its share of leads, the lead conversion rate, the opportunity win rate, the median days from lead to
/// conversion and how it stretches the sales cycle. These differences are what make the analytics worth reading.
/// </summary>
internal sealed record DemoSource(string Name, double LeadShare, double ConversionRate, double WinRate, double DaysToConvert, double CycleFactor, double DirectShare);

/// <summary>A kind of campaign: what it costs and how good its leads are.</summary>
internal sealed record DemoCampaignType(string Type, string Topic, int MinCost, int MaxCost, double Quality);

/// <summary>A job title, with the seniority that makes a lead convert and a contact sign.</summary>
internal sealed record DemoTitle(string Title, string Department, int Seniority);

/// <summary>The fixed vocabulary of the demo org: names, places, industries, sources and the sales process.</summary>
internal static class DemoCatalog
{
    public static readonly DemoRegion[] Regions =
    [
        new("North America East", 0.35, "America/New_York", "en_US",
        [
            new("New York", "NY", "United States", "+1 212", "com"), new("Boston", "MA", "United States", "+1 617", "com"),
            new("Atlanta", "GA", "United States", "+1 404", "com"), new("Chicago", "IL", "United States", "+1 312", "com"),
            new("Philadelphia", "PA", "United States", "+1 215", "com"), new("Miami", "FL", "United States", "+1 305", "com"),
            new("Washington", "DC", "United States", "+1 202", "com"), new("Toronto", "ON", "Canada", "+1 416", "ca"),
        ]),
        new("North America West", 0.25, "America/Los_Angeles", "en_US",
        [
            new("San Francisco", "CA", "United States", "+1 415", "com"), new("Seattle", "WA", "United States", "+1 206", "com"),
            new("Los Angeles", "CA", "United States", "+1 213", "com"), new("Denver", "CO", "United States", "+1 303", "com"),
            new("Austin", "TX", "United States", "+1 512", "com"), new("Phoenix", "AZ", "United States", "+1 602", "com"),
            new("San Diego", "CA", "United States", "+1 619", "com"), new("Vancouver", "BC", "Canada", "+1 604", "ca"),
        ]),
        new("EMEA", 0.25, "Europe/London", "en_GB",
        [
            new("London", null, "United Kingdom", "+44 20", "co.uk"), new("Manchester", null, "United Kingdom", "+44 161", "co.uk"),
            new("Paris", null, "France", "+33 1", "fr"), new("Berlin", null, "Germany", "+49 30", "de"),
            new("Munich", null, "Germany", "+49 89", "de"), new("Amsterdam", null, "Netherlands", "+31 20", "nl"),
            new("Madrid", null, "Spain", "+34 91", "es"), new("Stockholm", null, "Sweden", "+46 8", "se"),
            new("Dublin", null, "Ireland", "+353 1", "ie"), new("Dubai", null, "United Arab Emirates", "+971 4", "ae"),
        ]),
        new("APAC", 0.15, "Asia/Tokyo", "en_US",
        [
            new("Sydney", "NSW", "Australia", "+61 2", "com.au"), new("Melbourne", "VIC", "Australia", "+61 3", "com.au"),
            new("Singapore", null, "Singapore", "+65 6", "sg"), new("Tokyo", null, "Japan", "+81 3", "jp"),
            new("Auckland", null, "New Zealand", "+64 9", "co.nz"), new("Hong Kong", null, "Hong Kong", "+852 2", "hk"),
            new("Bangalore", "KA", "India", "+91 80", "in"),
        ]),
    ];

    /// <summary>Which region the n-th rep works in: 5, 4, 4 and 3 reps in 16, each region staffed from the first four.</summary>
    public static readonly int[] RepRegionPattern = [0, 1, 2, 3, 0, 1, 2, 0, 3, 1, 2, 0, 1, 2, 3, 0];

    private static readonly string[] Generic = ["Inc.", "Group", "Corp.", "LLC", "Co.", "Holdings"];

    public static readonly DemoIndustry[] Industries =
    [
        new("Technology", 14, 1.15, 1.10, ["Software", "Systems", "Labs", "Technologies", "Networks", .. Generic]),
        new("Finance", 7, 1.10, 1.30, ["Capital", "Financial", "Partners", "Advisors", .. Generic]),
        new("Banking", 5, 1.00, 1.40, ["Bank", "Bancorp", "Trust", .. Generic]),
        new("Insurance", 5, 1.00, 1.20, ["Insurance", "Assurance", "Mutual", .. Generic]),
        new("Healthcare", 9, 1.10, 1.15, ["Health", "Medical", "Clinics", "Care", .. Generic]),
        new("Biotechnology", 3, 1.05, 1.20, ["Bio", "Therapeutics", "Biosciences", .. Generic]),
        new("Manufacturing", 10, 1.00, 1.00, ["Industries", "Manufacturing", "Components", "Fabrication", .. Generic]),
        new("Retail", 8, 0.90, 0.85, ["Stores", "Retail", "Brands", "Outfitters", .. Generic]),
        new("Education", 5, 0.85, 0.60, ["Academy", "Learning", "College", "Institute"]),
        new("Government", 4, 0.70, 1.25, ["Authority", "Agency", "Council", "Department"]),
        new("Telecommunications", 4, 0.95, 1.20, ["Telecom", "Communications", "Wireless", .. Generic]),
        new("Media", 3, 0.95, 0.80, ["Media", "Studios", "Publishing", .. Generic]),
        new("Consulting", 4, 1.05, 0.80, ["Consulting", "Advisory", "Partners", .. Generic]),
        new("Energy", 3, 0.95, 1.30, ["Energy", "Power", "Resources", .. Generic]),
        new("Transportation", 3, 1.00, 0.95, ["Logistics", "Freight", "Transport", .. Generic]),
        new("Hospitality", 2, 0.85, 0.70, ["Hotels", "Resorts", "Hospitality", .. Generic]),
        new("Not For Profit", 2, 0.80, 0.50, ["Foundation", "Trust", "Society"]),
        new("Construction", 2, 0.90, 0.90, ["Builders", "Construction", "Contracting", .. Generic]),
        new("Food & Beverage", 2, 0.95, 0.80, ["Foods", "Beverages", "Kitchens", .. Generic]),
        new("Utilities", 1, 0.90, 1.10, ["Utilities", "Water", "Power", .. Generic]),
        new("Other", 4, 0.95, 0.80, Generic),
    ];

    public static readonly DemoSource[] Sources =
    [
        new("Web", 0.32, 0.16, 0.24, 10, 1.00, 0.15),
        new("Phone Inquiry", 0.12, 0.30, 0.31, 5, 0.90, 0.20),
        new("Partner Referral", 0.13, 0.36, 0.42, 8, 0.85, 0.25),
        new("Purchased List", 0.25, 0.06, 0.11, 24, 1.20, 0.05),
        new("Other", 0.18, 0.13, 0.20, 14, 1.05, 0.35),
    ];

    /// <summary>Account size tiers: share, employees, median first deal, how long deals take.</summary>
    public static readonly (string Name, double Share, int MinEmployees, int MaxEmployees, double MedianDeal, double CycleFactor, double Weight)[] Sizes =
    [
        ("Small", 0.50, 10, 200, 12_000, 0.70, 1.0),
        ("Mid-market", 0.35, 200, 2_000, 35_000, 1.00, 2.5),
        ("Enterprise", 0.15, 2_000, 60_000, 95_000, 1.50, 5.0),
    ];

    /// <summary>Median days an opportunity spends in each open stage (Proposal/Price Quote is the bottleneck).</summary>
    public static readonly double[] StageDays = [6, 9, 11, 13, 8, 7, 18, 12];

    public static readonly string[] NextSteps =
    [
        "Book discovery call", "Qualify budget and timeline", "Run needs workshop", "Present business case", "Meet the economic buyer",
        "Address security review", "Send proposal", "Redline contract with legal",
    ];

    public static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
        "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily", "Paul", "Michelle", "Andrew", "Amanda", "Joshua", "Melissa",
        "Kevin", "Laura", "Brian", "Rebecca", "Oliver", "Sophie", "Lucas", "Emma", "Hugo", "Chloe", "Lukas", "Hannah", "Mateo",
        "Lucia", "Erik", "Ingrid", "Liam", "Aoife", "Hiroshi", "Yuki", "Wei", "Mei", "Arjun", "Priya", "Noah", "Ava", "Ethan",
        "Isabella", "Omar", "Leila", "Samuel", "Grace", "Felix", "Clara",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart",
        "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Kelly", "Howard", "Ward",
        "Dubois", "Moreau", "Schmidt", "Schneider", "Fischer", "Weber", "Jansen", "de Vries", "Lindqvist", "Johansson", "Fernandez",
        "Romero", "Rossi", "Bianchi", "Tanaka", "Suzuki", "Sato", "Chen", "Wang", "Li", "Patel", "Sharma", "Nguyen", "Kim", "Park",
        "Walsh", "Byrne", "Ali", "Haddad", "Novak",
    ];

    public static readonly string[] CompanyPrefixes =
    [
        "Apex", "Blue", "Cedar", "Crescent", "Summit", "Harbor", "Iron", "Lumen", "Nova", "Orion", "Pinnacle", "Quantum", "Red",
        "Silver", "Stone", "Vertex", "Willow", "North", "Bright", "Clear", "Golden", "Granite", "Maple", "Oak", "Pacific", "Atlas",
        "Beacon", "Cobalt", "Delta", "Evergreen", "Falcon", "Horizon", "Juniper", "Keystone", "Meridian", "Prairie", "Sterling",
        "Tidal", "Union", "Zenith",
    ];

    public static readonly string[] CompanyCores =
    [
        "ridge", "point", "field", "bridge", "wave", "gate", "stream", "works", "line", "path", "forge", "leaf", "rock", "light",
        "wind", "view", "crest", "port", "vale", "stone", "wood", "star", "bay", "mark",
    ];

    public static readonly string[] Streets = ["Main", "Market", "Oak", "Park", "High", "Station", "King", "Queen", "Harbour", "Mill", "Church", "River", "Elm", "Union"];

    public static readonly string[] StreetKinds = ["Street", "Avenue", "Road", "Boulevard", "Lane", "Way"];

    /// <summary>Titles by seniority: 3 executive, 2 director, 1 manager, 0 staff.</summary>
    public static readonly DemoTitle[] Titles =
    [
        new("CEO", "Executive", 3), new("CFO", "Finance", 3), new("CTO", "Engineering", 3), new("COO", "Operations", 3),
        new("Chief Revenue Officer", "Sales", 3), new("VP Sales", "Sales", 3), new("VP Marketing", "Marketing", 3),
        new("VP Operations", "Operations", 3), new("VP Engineering", "Engineering", 3),
        new("Director of IT", "IT", 2), new("Director of Operations", "Operations", 2), new("Sales Director", "Sales", 2),
        new("Finance Director", "Finance", 2), new("Procurement Director", "Procurement", 2), new("Marketing Director", "Marketing", 2),
        new("IT Manager", "IT", 1), new("Operations Manager", "Operations", 1), new("Marketing Manager", "Marketing", 1),
        new("Procurement Manager", "Procurement", 1), new("Project Manager", "Operations", 1), new("Sales Manager", "Sales", 1),
        new("Business Analyst", "Operations", 0), new("Systems Administrator", "IT", 0), new("Sales Representative", "Sales", 0),
        new("Marketing Coordinator", "Marketing", 0), new("Buyer", "Procurement", 0), new("Software Engineer", "Engineering", 0),
        new("Consultant", "Operations", 0),
    ];

    /// <summary>How much a title's seniority moves lead conversion (the planted signal a lead score should find).</summary>
    public static readonly double[] SeniorityConversion = [0.7, 1.0, 1.2, 1.4];

    /// <summary>Contact roles by seniority.</summary>
    public static readonly string[][] Roles =
    [
        ["Technical Buyer", "Business User", "Evaluator"],
        ["Evaluator", "Influencer", "Business User"],
        ["Economic Decision Maker", "Influencer", "Decision Maker"],
        ["Decision Maker", "Economic Buyer", "Executive Sponsor"],
    ];

    public static readonly DemoCampaignType[] CampaignTypes =
    [
        new("Webinar", "Webinar: Pipeline Analytics", 3_000, 8_000, 1.15),
        new("Conference", "Conference: Sales Summit", 30_000, 80_000, 1.30),
        new("Email", "Email: Product Update", 1_000, 4_000, 0.90),
        new("Advertisement", "Ads: Search and Social", 10_000, 35_000, 0.80),
        new("Direct Mail", "Direct Mail: Catalogue", 8_000, 20_000, 0.70),
        new("Partners", "Partner Co-marketing", 5_000, 15_000, 1.20),
        new("Seminar / Conference", "Seminar: Executive Roundtable", 15_000, 40_000, 1.20),
        new("Telemarketing", "Telemarketing: Outbound", 6_000, 15_000, 0.80),
    ];

    public static readonly string[] Products =
    [
        "Platform Licenses", "Analytics Add-on", "Professional Services", "Support Upgrade", "Enterprise Expansion", "Pilot",
        "Data Migration", "Training Package", "Integration Suite", "Security Module",
    ];

    public static readonly (string Subject, string Type, string Subtype)[] TaskKinds =
    [
        ("Call", "Call", "Call"), ("Follow-up call", "Call", "Call"), ("Discovery call", "Call", "Call"), ("Check-in call", "Call", "Call"),
        ("Email: Follow-up", "Email", "Email"), ("Email: Pricing", "Email", "Email"), ("Email: Introduction", "Email", "Email"),
        ("Send proposal", "Other", "Task"), ("Prepare quote", "Other", "Task"), ("Update account plan", "Other", "Task"),
        ("Send contract", "Other", "Task"), ("LinkedIn message", "Other", "LinkedIn"),
    ];

    public static readonly string[] EventSubjects =
    [
        "Discovery meeting", "Product demo", "Technical deep dive", "Executive briefing", "Negotiation meeting",
        "Quarterly business review", "Onboarding kickoff", "Proposal walkthrough",
    ];

    public static readonly string[] Locations = ["Zoom", "Microsoft Teams", "Google Meet", "Customer office", "Our office"];
}
