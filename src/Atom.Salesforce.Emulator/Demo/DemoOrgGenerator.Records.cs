using System.Globalization;

namespace Atom.Salesforce.Emulator.Demo;

internal sealed partial class DemoOrgGenerator
{
    private const string UserDomain = "demo.emulator.atom";

    /// <summary>
    /// Queues the writes of the planned users, campaigns, accounts, contacts, leads and opportunities. Random details are
    /// drawn here, in a fixed order; ids are read when the writes run, after the records they name were written.
    /// </summary>
    private void ScheduleRecords()
    {
        foreach (var user in _users)
        {
            ScheduleUser(user);
        }

        foreach (var campaign in _campaigns)
        {
            ScheduleCampaign(campaign);
        }

        foreach (var account in _accounts)
        {
            ScheduleAccount(account);
        }

        foreach (var contact in _contacts)
        {
            ScheduleContact(contact);
        }

        foreach (var lead in _leads)
        {
            ScheduleLead(lead);
        }

        foreach (var opportunity in _opportunities)
        {
            ScheduleOpportunity(opportunity);
        }
    }

    private void ScheduleUser(UserPlan user)
    {
        var login = $"{Ascii(user.FirstName)}.{Ascii(user.LastName)}";
        var region = user.Region >= 0 ? DemoCatalog.Regions[user.Region] : DemoCatalog.Regions[0];
        Write(user.Created, () => user.Id = _org.Seed("User", new Dictionary<string, object?>
        {
            ["Username"] = $"{login}@{UserDomain}",
            ["FirstName"] = user.FirstName,
            ["LastName"] = user.LastName,
            ["Email"] = $"{login}@{UserDomain}",
            ["Alias"] = Truncate(Ascii(user.FirstName)[..1] + Ascii(user.LastName), 8),
            ["CommunityNickname"] = Truncate(login, 40),
            ["IsActive"] = true,
            ["ManagerId"] = user.Manager?.Id,
            ["Title"] = user.Title,
            ["Department"] = user == _marketing ? "Marketing" : "Sales",
            ["TimeZoneSidKey"] = region.TimeZone,
            ["LocaleSidKey"] = region.Locale,
        }, user.Created));
    }

    private void ScheduleCampaign(CampaignPlan campaign)
    {
        var today = Day(_now);
        var status = campaign.EndDate < today ? "Completed" : campaign.StartDate <= today ? "In Progress" : "Planned";
        var actual = Nearest(campaign.BudgetedCost * (decimal)_random.Between(0.85, 1.15), 100);
        var expected = Nearest(campaign.BudgetedCost * (decimal)_random.Between(3.0, 8.0), 100);
        Write(campaign.Created, () => campaign.Id = _org.Seed("Campaign", new Dictionary<string, object?>
        {
            ["Name"] = campaign.Name,
            ["Type"] = campaign.Kind.Type,
            ["Status"] = status,
            ["StartDate"] = campaign.StartDate,
            ["EndDate"] = campaign.EndDate,
            ["IsActive"] = status != "Completed",
            ["BudgetedCost"] = campaign.BudgetedCost,
            ["ActualCost"] = status == "Planned" ? null : actual,
            ["ExpectedRevenue"] = expected,
            ["OwnerId"] = _marketing.Id,
            ["CreatedById"] = _marketing.Id,
        }, campaign.Created));
    }

    private void ScheduleAccount(AccountPlan account)
    {
        var city = account.City;
        var street = Street();
        var postalCode = city.Country == "United States" ? _random.Between(10000, 99999).ToString(CultureInfo.InvariantCulture) : null;
        var revenue = Nearest(account.Employees * (decimal)_random.Between(120_000, 350_000), 1_000);
        var phone = $"{city.PhonePrefix} {PhoneLine()}";
        var rating = account.CustomerSince is not null ? (_random.Chance(0.5) ? "Hot" : "Warm") : (_random.Chance(0.5) ? "Warm" : "Cold");
        Write(account.Created, () => account.Id = _org.Seed("Account", new Dictionary<string, object?>
        {
            ["Name"] = account.Name,
            ["Type"] = account.Type,
            ["ParentId"] = account.Parent?.Id,
            ["Industry"] = account.Industry.Name,
            ["AnnualRevenue"] = revenue,
            ["NumberOfEmployees"] = account.Employees,
            ["Phone"] = phone,
            ["Website"] = $"https://www.{account.Domain}",
            ["BillingStreet"] = street,
            ["BillingCity"] = city.Name,
            ["BillingState"] = city.State,
            ["BillingPostalCode"] = postalCode,
            ["BillingCountry"] = city.Country,
            ["ShippingStreet"] = street,
            ["ShippingCity"] = city.Name,
            ["ShippingState"] = city.State,
            ["ShippingPostalCode"] = postalCode,
            ["ShippingCountry"] = city.Country,
            ["AccountSource"] = account.Source,
            ["Rating"] = rating,
            ["LastActivityDate"] = account.LastActivityDate,
            ["OwnerId"] = account.Owner.Id,
            ["CreatedById"] = account.Owner.Id,
        }, account.Created));

        if (account.Type == "Prospect" && account.CustomerSince is { } since)
        {
            // The first won deal makes a prospect a customer; a partner's deal makes it a channel customer.
            var at = since.AddSeconds(1);
            var type = account.WonThrough == "Partner Referral" ? "Customer - Channel" : "Customer - Direct";
            Write(at, () => _org.SeedUpdate("Account", account.Id!, new Dictionary<string, object?>
            {
                ["Type"] = type,
                ["LastModifiedById"] = account.Owner.Id,
            }, at));
        }
    }

    private void ScheduleContact(ContactPlan contact)
    {
        var account = contact.Account;
        var optedOut = _random.Chance(0.05);
        Write(contact.Created, () => contact.Id = _org.Seed("Contact", new Dictionary<string, object?>
        {
            ["AccountId"] = account.Id,
            ["FirstName"] = contact.FirstName,
            ["LastName"] = contact.LastName,
            ["Email"] = contact.Email,
            ["Phone"] = contact.Phone,
            ["Title"] = contact.Title.Title,
            ["Department"] = contact.Title.Department,
            ["LeadSource"] = contact.Source,
            ["ReportsToId"] = contact.ReportsTo?.Id,
            ["MailingCity"] = account.City.Name,
            ["MailingState"] = account.City.State,
            ["MailingCountry"] = account.City.Country,
            ["HasOptedOutOfEmail"] = optedOut,
            ["OwnerId"] = contact.Owner.Id,
            ["CreatedById"] = contact.Owner.Id,
        }, contact.Created));
    }

    private void ScheduleLead(LeadPlan lead)
    {
        var revenue = Nearest(lead.Employees * (decimal)_random.Between(120_000, 350_000), 1_000);
        Write(lead.Created, () => lead.Id = _org.Seed("Lead", new Dictionary<string, object?>
        {
            ["FirstName"] = lead.FirstName,
            ["LastName"] = lead.LastName,
            ["Company"] = lead.Company,
            ["Title"] = lead.Title.Title,
            ["Email"] = lead.Email,
            ["Phone"] = lead.Phone,
            ["Status"] = "Open - Not Contacted",
            ["LeadSource"] = lead.Source.Name,
            ["Rating"] = lead.Rating,
            ["Industry"] = lead.Industry.Name,
            ["AnnualRevenue"] = revenue,
            ["NumberOfEmployees"] = lead.Employees,
            ["City"] = lead.City.Name,
            ["State"] = lead.City.State,
            ["Country"] = lead.City.Country,
            ["IsUnreadByOwner"] = true,
            ["OwnerId"] = lead.Owner.Id,
            ["CreatedById"] = lead.Owner.Id,
        }, lead.Created));

        if (lead.Contacted is { } contacted)
        {
            Write(contacted, () => _org.SeedUpdate("Lead", lead.Id!, new Dictionary<string, object?>
            {
                ["Status"] = "Working - Contacted",
                ["IsUnreadByOwner"] = false,
                ["LastModifiedById"] = lead.Owner.Id,
            }, contacted));
        }

        if (lead.Converted is { } converted)
        {
            // After the account (at the moment of conversion), the contact (+1 s) and the opportunity (+2 s).
            var at = converted.AddSeconds(3);
            Write(at, () => _org.SeedUpdate("Lead", lead.Id!, new Dictionary<string, object?>
            {
                ["Status"] = "Closed - Converted",
                ["IsConverted"] = true,
                ["ConvertedDate"] = Day(converted),
                ["ConvertedAccountId"] = lead.Account!.Id,
                ["ConvertedContactId"] = lead.Contact!.Id,
                ["ConvertedOpportunityId"] = lead.Opportunity?.Id,
                ["LastModifiedById"] = lead.Owner.Id,
            }, at));
        }
        else if (lead.ClosedUnconverted is { } closed)
        {
            Write(closed, () => _org.SeedUpdate("Lead", lead.Id!, new Dictionary<string, object?>
            {
                ["Status"] = "Closed - Not Converted",
                ["LastModifiedById"] = lead.Owner.Id,
            }, closed));
        }
    }

    private void ScheduleOpportunity(OpportunityPlan opportunity)
    {
        var owner = opportunity.Owner!;
        Write(opportunity.Created, () =>
        {
            var values = new Dictionary<string, object?>(opportunity.Initial)
            {
                ["Name"] = opportunity.Name,
                ["AccountId"] = opportunity.Account!.Id,
                ["Type"] = opportunity.Type,
                ["LeadSource"] = opportunity.Source.Name,
                ["CampaignId"] = opportunity.Campaign?.Id,
                ["LastActivityDate"] = opportunity.LastActivityDate,
                ["OwnerId"] = owner.Id,
                ["CreatedById"] = owner.Id,
            };
            opportunity.Id = _org.Seed("Opportunity", values, opportunity.Created);
        });

        foreach (var (at, change) in opportunity.Writes)
        {
            Write(at, () => _org.SeedUpdate("Opportunity", opportunity.Id!, new Dictionary<string, object?>(change) { ["LastModifiedById"] = owner.Id }, at));
        }

        var rolesAt = opportunity.Created.AddSeconds(2);
        var roles = opportunity.Roles.Select(c => (Contact: c, Role: _random.Pick(DemoCatalog.Roles[c.Title.Seniority]))).ToList();
        Write(rolesAt, () =>
        {
            for (var i = 0; i < roles.Count; i++)
            {
                _org.Seed("OpportunityContactRole", new Dictionary<string, object?>
                {
                    ["OpportunityId"] = opportunity.Id,
                    ["ContactId"] = roles[i].Contact.Id,
                    ["Role"] = roles[i].Role,
                    ["IsPrimary"] = i == 0,
                    ["CreatedById"] = owner.Id,
                }, rolesAt);
            }
        });
    }

    private string Street() =>
        $"{_random.Between(1, 999).ToString(CultureInfo.InvariantCulture)} {_random.Pick(DemoCatalog.Streets)} {_random.Pick(DemoCatalog.StreetKinds)}";
}
