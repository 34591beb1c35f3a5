using Atom.Salesforce.Client.AspNetCore.Configuration;
using Atom.Salesforce.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Configuration;

public sealed class SalesforceEnvironmentConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_login_host_follows_the_environment_and_the_explicit_url_wins()
    {
        Assert.Equal(new Uri("https://login.salesforce.com"), SalesforceEnvironmentConfiguration.LoginUrl(Config()));
        Assert.Equal(new Uri("https://test.salesforce.com"), SalesforceEnvironmentConfiguration.LoginUrl(Config(("SALESFORCE_ENVIRONMENT", "Sandbox"))));
        Assert.Equal(new Uri("http://127.0.0.1:5000"), SalesforceEnvironmentConfiguration.LoginUrl(Config(("SALESFORCE_ENVIRONMENT", "sandbox"), ("SALESFORCE_LOGIN_URL", "http://127.0.0.1:5000"))));
        Assert.Contains("production", Assert.Throws<InvalidOperationException>(() => SalesforceEnvironmentConfiguration.LoginUrl(Config(("SALESFORCE_ENVIRONMENT", "staging")))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SalesforceEnvironmentConfiguration.LoginUrl(Config(("SALESFORCE_LOGIN_URL", "ftp://x"))));
    }

    [Fact]
    public void The_variables_configure_the_sdk_and_the_endpoints()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforceFromEnvironment(Config(
            ("SALESFORCE_CLIENT_ID", "3MVG9-id"), ("SALESFORCE_CLIENT_SECRET", "s3cret"), ("SALESFORCE_ENVIRONMENT", "sandbox"),
            ("SALESFORCE_REDIRECT_URI", "https://app.example.com/sf/callback")));
        using var provider = services.BuildServiceProvider();
        var sdk = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        Assert.Equal("3MVG9-id", sdk.ClientId);
        Assert.Equal("s3cret", sdk.ClientSecret);
        Assert.Equal(new Uri("https://test.salesforce.com"), sdk.LoginUrl);
        Assert.Equal(new Uri("https://app.example.com/sf/callback"), provider.GetRequiredService<IOptions<SalesforceEndpointOptions>>().Value.RedirectUri);
    }

    [Fact]
    public void The_database_variables_make_a_quoted_connection_string()
    {
        Assert.Null(SalesforceEnvironmentConfiguration.DatabaseConnectionString(Config(("DB_NAME", "x"))));
        var text = SalesforceEnvironmentConfiguration.DatabaseConnectionString(Config(
            ("DB_HOST", "db.internal"), ("DB_PORT", "6432"), ("DB_NAME", "sales"), ("DB_USER", "app"), ("DB_PASSWORD", "p;w=d'x")));
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(text);
        Assert.Equal("db.internal", parsed.Host);
        Assert.Equal(6432, parsed.Port);
        Assert.Equal("sales", parsed.Database);
        Assert.Equal("app", parsed.Username);
        Assert.Equal("p;w=d'x", parsed.Password);
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(SalesforceEnvironmentConfiguration.DatabaseConnectionString(Config(("DB_HOST", "h")))).Port);
        Assert.Throws<InvalidOperationException>(() => SalesforceEnvironmentConfiguration.DatabaseConnectionString(Config(("DB_HOST", "h"), ("DB_PORT", "70000"))));
    }
}
