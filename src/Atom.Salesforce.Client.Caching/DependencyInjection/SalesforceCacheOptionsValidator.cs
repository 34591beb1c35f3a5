using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.Caching;

/// <summary>Checks <see cref="SalesforceCacheOptions"/> at start: a bad value is a clear error, not a silent cache.</summary>
internal sealed class SalesforceCacheOptionsValidator : IValidateOptions<SalesforceCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceCacheOptions options)
    {
        var failures = new List<string>();
        Check(options.DescribeDuration, nameof(options.DescribeDuration));
        Check(options.DescribeGlobalDuration, nameof(options.DescribeGlobalDuration));
        Check(options.DescribeRetention, nameof(options.DescribeRetention));
        Check(options.LimitsDuration, nameof(options.LimitsDuration));
        Check(options.MaxQueryDuration, nameof(options.MaxQueryDuration));
        Check(options.QueryLocalDuration, nameof(options.QueryLocalDuration));
        if (options.MaxQueryResultBytes < 1)
        {
            failures.Add("Salesforce:Cache:MaxQueryResultBytes must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.Any(c => char.IsWhiteSpace(c) || c == ':'))
        {
            failures.Add("Salesforce:Cache:KeyPrefix must be a non-empty word without spaces or ':'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(TimeSpan value, string option)
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                failures.Add($"Salesforce:Cache:{option} must be between 0 and 1 day (0 turns it off).");
            }
        }
    }
}
