using Atom.Salesforce.Client.Configuration;
using Microsoft.Extensions.Configuration;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// Binds <see cref="SalesforceOptions"/> from configuration with the configuration binding source generator, so that no
/// reflection runs (trimming and NativeAOT). The generator cannot bind the code-only members
/// (<see cref="SalesforceOptions.JwtCertificate"/>, <see cref="SalesforceOptions.TypeInfoResolver"/>), so it binds
/// <see cref="Section"/>, which lists every configurable key, and only keys present in configuration are copied over, as
/// <c>OptionsBuilder.Bind</c> does. A test keeps <see cref="Section"/> in step with <see cref="SalesforceOptions"/>.
/// </summary>
internal static class SalesforceOptionsBinding
{
    public static void Bind(IConfiguration configuration, SalesforceOptions options)
    {
        var section = new Section();
        configuration.Bind(section);
        options.LoginUrl = section.LoginUrl ?? options.LoginUrl;
        if (section.TrustedInstanceHosts is { } hosts)
        {
            foreach (var host in hosts)
            {
                options.TrustedInstanceHosts.Add(host);
            }
        }

        options.ApiVersion = section.ApiVersion ?? options.ApiVersion;
        options.ClientId = section.ClientId ?? options.ClientId;
        options.ClientSecret = section.ClientSecret ?? options.ClientSecret;
        options.JwtPrivateKeyPem = section.JwtPrivateKeyPem ?? options.JwtPrivateKeyPem;
        options.JwtPrivateKeyPath = section.JwtPrivateKeyPath ?? options.JwtPrivateKeyPath;
        options.JwtAudience = section.JwtAudience ?? options.JwtAudience;
        options.SessionTimeout = section.SessionTimeout ?? options.SessionTimeout;
        options.ApplicationId = section.ApplicationId ?? options.ApplicationId;
        configuration.GetSection(nameof(SalesforceOptions.Resilience)).Bind(options.Resilience);
    }

    /// <summary>The configurable keys of <see cref="SalesforceOptions"/>; null where configuration has no value.</summary>
    internal sealed class Section
    {
        public Uri? LoginUrl { get; set; }

        public List<string>? TrustedInstanceHosts { get; set; }

        public string? ApiVersion { get; set; }

        public string? ClientId { get; set; }

        public string? ClientSecret { get; set; }

        public string? JwtPrivateKeyPem { get; set; }

        public string? JwtPrivateKeyPath { get; set; }

        public Uri? JwtAudience { get; set; }

        public TimeSpan? SessionTimeout { get; set; }

        public string? ApplicationId { get; set; }
    }
}
