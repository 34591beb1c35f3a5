using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Atom.Salesforce.Client.AspNetCore.Configuration;

/// <summary>
/// The seed's environment variables (any configuration source with these keys works): <c>SALESFORCE_CLIENT_ID</c>,
/// <c>SALESFORCE_CLIENT_SECRET</c>, <c>SALESFORCE_REDIRECT_URI</c>, <c>SALESFORCE_ENVIRONMENT</c> (<c>production</c> or
/// <c>sandbox</c>), <c>SALESFORCE_LOGIN_URL</c> (overrides the login host: My Domain, GovCloud, the emulator), and
/// <c>DB_HOST</c>, <c>DB_PORT</c>, <c>DB_NAME</c>, <c>DB_USER</c>, <c>DB_PASSWORD</c> for the PostgreSQL token store.
/// Register from them with <c>services.AddAtomSalesforceFromEnvironment(configuration)</c>.
/// </summary>
public static class SalesforceEnvironmentConfiguration
{
    /// <summary>The login host the variables name: <c>SALESFORCE_LOGIN_URL</c>, else production or sandbox by <c>SALESFORCE_ENVIRONMENT</c>.</summary>
    /// <exception cref="InvalidOperationException">A value is not valid.</exception>
    public static Uri LoginUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (OptionalUrl(configuration, "SALESFORCE_LOGIN_URL") is { } explicitUrl)
        {
            return explicitUrl;
        }

        return configuration["SALESFORCE_ENVIRONMENT"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "production" => new Uri("https://login.salesforce.com"),
            "sandbox" => new Uri("https://test.salesforce.com"),
            var other => throw new InvalidOperationException($"SALESFORCE_ENVIRONMENT must be 'production' or 'sandbox'; got '{other}'."),
        };
    }

    /// <summary>
    /// An Npgsql connection string from <c>DB_HOST</c>, <c>DB_PORT</c> (5432 by default), <c>DB_NAME</c>, <c>DB_USER</c> and
    /// <c>DB_PASSWORD</c>, values quoted as needed; null when <c>DB_HOST</c> is not set.
    /// </summary>
    /// <exception cref="InvalidOperationException">DB_PORT is not a port number.</exception>
    public static string? DatabaseConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var host = configuration["DB_HOST"];
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var port = 5432;
        if (configuration["DB_PORT"] is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"DB_PORT must be a port number; got '{portText}'.");
        }

        var builder = new DbConnectionStringBuilder { ["Host"] = host, ["Port"] = port.ToString(CultureInfo.InvariantCulture) };
        Set("Database", configuration["DB_NAME"]);
        Set("Username", configuration["DB_USER"]);
        Set("Password", configuration["DB_PASSWORD"]);
        return builder.ConnectionString;

        void Set(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder[key] = value;
            }
        }
    }

    internal static Uri? OptionalUrl(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new InvalidOperationException($"{key} must be an absolute http or https URL; got '{text}'.");
    }
}
