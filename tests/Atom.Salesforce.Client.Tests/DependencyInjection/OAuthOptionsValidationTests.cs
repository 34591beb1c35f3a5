using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Tests.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Tests.DependencyInjection;

/// <summary>The OAuth settings are checked at start-up, with messages that name the setting and never quote a key.</summary>
public sealed class OAuthOptionsValidationTests
{
    private static OptionsValidationException Invalid(Action<SalesforceOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "abc";
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    private static void Valid(Action<SalesforceOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o =>
        {
            o.ClientId = "abc";
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_PEM_that_is_not_a_private_key_is_refused_without_being_quoted()
    {
        const string garbage = "-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsU2VjcmV0VmFsdWU=\n-----END PRIVATE KEY-----";

        var e = Invalid(o => o.JwtPrivateKeyPem = garbage);

        Assert.Contains("JwtPrivateKeyPem", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tm90QUtleUF0QWxsU2VjcmV0VmFsdWU", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_key_cannot_sign_and_is_refused()
    {
        var e = Invalid(o => o.JwtPrivateKeyPem = OAuthTestSupport.Key.ExportSubjectPublicKeyInfoPem());

        Assert.Contains("JwtPrivateKeyPem", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encrypted_key_is_refused_with_a_way_out()
    {
        var encrypted = OAuthTestSupport.Key.ExportEncryptedPkcs8PrivateKeyPem(
            "pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));

        var e = Invalid(o => o.JwtPrivateKeyPem = encrypted);

        Assert.Contains("encrypted", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(encrypted.Split('\n')[1], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_file_is_refused_naming_the_setting()
    {
        var e = Invalid(o => o.JwtPrivateKeyPath = "/nonexistent/atom/jwt.key");

        Assert.Contains("JwtPrivateKeyPath", e.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/atom/jwt.key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_key_settings_at_once_are_refused()
    {
        var e = Invalid(o =>
        {
            o.JwtPrivateKeyPem = OAuthTestSupport.KeyPem;
            o.JwtPrivateKeyPath = "/tmp/jwt.key";
        });

        Assert.Contains("only one", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuthTestSupport.KeyPem.Split('\n')[1], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_without_private_key_is_refused()
    {
        using var key = RSA.Create(2048);
        using var withKey = new CertificateRequest("CN=Atom", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
#pragma warning disable SYSLIB0057 // The public part only, loaded the simplest way on both target frameworks.
        using var publicOnly = new X509Certificate2(withKey.Export(X509ContentType.Cert));
#pragma warning restore SYSLIB0057

        var e = Invalid(o => o.JwtCertificate = publicOnly);

        Assert.Contains("JwtCertificate", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(25 * 3600)]
    public void A_session_timeout_outside_one_minute_to_a_day_is_refused(int seconds)
    {
        var e = Invalid(o => o.SessionTimeout = TimeSpan.FromSeconds(seconds));

        Assert.Contains("SessionTimeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_JWT_audience_is_refused()
    {
        var e = Invalid(o => o.JwtAudience = new Uri("/login", UriKind.Relative));

        Assert.Contains("JwtAudience", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_key_and_session_timeout_pass()
    {
        Valid(o =>
        {
            o.JwtPrivateKeyPem = OAuthTestSupport.KeyPem;
            o.SessionTimeout = TimeSpan.FromHours(2);
            o.JwtAudience = new Uri("https://login.salesforce.com");
        });
        Valid(o => o.JwtPrivateKeyPem = OAuthTestSupport.Key.ExportRSAPrivateKeyPem());
    }

    [Fact]
    public void OAuth_settings_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "abc",
            ["Salesforce:JwtPrivateKeyPem"] = OAuthTestSupport.KeyPem,
            ["Salesforce:JwtAudience"] = "https://test.salesforce.com",
            ["Salesforce:SessionTimeout"] = "02:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(configuration.GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;

        Assert.Equal(OAuthTestSupport.KeyPem, options.JwtPrivateKeyPem);
        Assert.Equal(new Uri("https://test.salesforce.com"), options.JwtAudience);
        Assert.Equal(TimeSpan.FromHours(2), options.SessionTimeout);
    }

    [Fact]
    public void The_OAuth_service_is_registered_once()
    {
        var services = new ServiceCollection();
        services.AddAtomSalesforce(o => o.ClientId = "abc");
        services.AddAtomSalesforce(o => o.ApplicationId = "again");
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(ISalesforceOAuth));
        Assert.NotNull(provider.GetRequiredService<ISalesforceOAuth>());
    }

    [Theory]
    [InlineData("https://proxy.example.com")]
    [InlineData("proxy.example.com:443")]
    [InlineData("proxy.example.com/path")]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*.com.")]
    public void A_trusted_instance_host_that_is_not_a_host_name_is_refused_at_start(string entry)
    {
        var e = Invalid(o => o.TrustedInstanceHosts.Add(entry));

        Assert.Contains("TrustedInstanceHosts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trusted_instance_hosts_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ClientId"] = "abc",
            ["Salesforce:TrustedInstanceHosts:0"] = "sf.proxy.example.com",
            ["Salesforce:TrustedInstanceHosts:1"] = "*.proxy.example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddAtomSalesforce(configuration.GetSection("Salesforce"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(["sf.proxy.example.com", "*.proxy.example.com"], provider.GetRequiredService<IOptions<SalesforceOptions>>().Value.TrustedInstanceHosts);
    }
}
