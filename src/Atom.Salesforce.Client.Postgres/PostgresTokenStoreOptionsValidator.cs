using Atom.Salesforce.Client.Postgres.Encryption;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Postgres;

/// <summary>Checks the store's settings at start. Messages name the setting; they never print a key.</summary>
internal sealed class PostgresTokenStoreOptionsValidator : IValidateOptions<PostgresTokenStoreOptions>
{
    private const string Section = PostgresTokenStoreOptions.DefaultSectionName;

    public ValidateOptionsResult Validate(string? name, PostgresTokenStoreOptions options)
    {
        var failures = TokenKeyRing.Validate(options.Encryption, Section);
        if (options.CacheDuration < TimeSpan.Zero || options.CacheDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{Section}:CacheDuration must be between 0 (no cache) and one day.");
        }

        if (options.CacheSizeLimit is < 1 or > 1_000_000)
        {
            failures.Add($"{Section}:CacheSizeLimit must be between 1 and 1,000,000.");
        }

        if (options.UsageFlushInterval < TimeSpan.FromMilliseconds(100) || options.UsageFlushInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:UsageFlushInterval must be between 100 ms and one hour.");
        }

        if (options.RefreshLockTimeout < TimeSpan.FromSeconds(1) || options.RefreshLockTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}:RefreshLockTimeout must be between one second and one hour.");
        }

        if (failures.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        // A named connected app's store: say which app is misconfigured.
        return ValidateOptionsResult.Fail(string.IsNullOrEmpty(name) ? failures : failures.Select(f => $"Salesforce app '{name}': {f}"));
    }
}
