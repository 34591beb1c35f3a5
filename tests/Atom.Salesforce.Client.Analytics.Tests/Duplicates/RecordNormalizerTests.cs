using Atom.Salesforce.Client.Analytics.Duplicates;

namespace Atom.Salesforce.Client.Analytics.Tests.Duplicates;

public sealed class RecordNormalizerTests
{
    [Theory]
    [InlineData("Crème Brûlée & Co.", "creme brulee and co")]
    [InlineData("  O'Brien--Smith  ", "obrien smith")]
    [InlineData("Straße", "strasse")]
    [InlineData("!!!", null)]
    [InlineData(null, null)]
    public void Text_folds_case_accents_and_punctuation(string? input, string? expected) =>
        Assert.Equal(expected, RecordNormalizer.Text(input));

    [Theory]
    [InlineData("The Crème Brûlée Company, Inc.", "creme brulee")]
    [InlineData("ACME INCORPORATED", "acme")]
    [InlineData("Acme, Inc.", "acme")]
    [InlineData("Acme L.L.C.", "acme")]
    [InlineData("Müller GmbH", "muller")]
    [InlineData("Acme Co., Ltd.", "acme")]
    [InlineData("L.L.C.", "llc")]
    [InlineData("Bank of Acme", "bank of acme")]
    public void Company_names_lose_legal_forms(string input, string expected) =>
        Assert.Equal(expected, RecordNormalizer.CompanyName(input));

    [Theory]
    [InlineData("https://www.Acme.com/about?x=1", "acme.com")]
    [InlineData("http://www.acme.com:8080", "acme.com")]
    [InlineData("acme.co.uk/", "acme.co.uk")]
    [InlineData("www.acme.com.", "acme.com")]
    [InlineData("localhost", null)]
    [InlineData(" ", null)]
    public void Web_domains_drop_scheme_www_port_and_path(string input, string? expected) =>
        Assert.Equal(expected, RecordNormalizer.WebDomain(input));

    [Theory]
    [InlineData("Jane.Doe@Acme.com", "acme.com")]
    [InlineData("jane@sub.acme.com", "sub.acme.com")]
    [InlineData("jane@GMAIL.com", null)]
    [InlineData("jane@outlook.com", null)]
    [InlineData("not-an-address", null)]
    public void E_mail_domains_skip_free_mail(string input, string? expected) =>
        Assert.Equal(expected, RecordNormalizer.CompanyEmailDomain(input));

    [Theory]
    [InlineData("+1 (415) 555-0100", "4155550100")]
    [InlineData("415.555.0100", "4155550100")]
    [InlineData("1-415-555-0100", "4155550100")]
    [InlineData("+1 415 555 0100 x23", "4155550100")]
    [InlineData("+44 20 7946 0958", "2079460958")]
    [InlineData("020 7946 0958", "2079460958")]
    [InlineData("+44 (0)20 7946 0958", "2079460958")]
    [InlineData("0044 20 7946 0958", "2079460958")]
    [InlineData("+353 1 234 5678", "12345678")]
    [InlineData("+49 30 1234567", "301234567")]
    [InlineData("555-01", null)]
    [InlineData(null, null)]
    public void Phones_become_national_digits(string? input, string? expected) =>
        Assert.Equal(expected, RecordNormalizer.Phone(input));
}
