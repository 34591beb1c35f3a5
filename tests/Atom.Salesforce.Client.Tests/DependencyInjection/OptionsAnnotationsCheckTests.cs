using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.DependencyInjection;

namespace Atom.Salesforce.Client.Tests.DependencyInjection;

/// <summary>
/// Start-up validation skips the DataAnnotations validator (and the regular expressions it compiles) when a plain check
/// says the annotations hold (issue 22). That check must never pass options the annotations refuse, or a wrong setting
/// would start: here it agrees with the generated validator on every boundary of every annotated setting.
/// </summary>
public sealed class OptionsAnnotationsCheckTests
{
    public static TheoryData<string, Action<SalesforceOptions>> Cases() => new()
    {
        { "defaults", _ => { } },
        { "no login URL", o => o.LoginUrl = null! },
        { "no ClientId", o => o.ClientId = null! },
        { "empty ClientId", o => o.ClientId = string.Empty },
        { "white-space ClientId", o => o.ClientId = " \t" },
        { "no ApiVersion", o => o.ApiVersion = null! },
        { "empty ApiVersion", o => o.ApiVersion = string.Empty },
        { "white-space ApiVersion", o => o.ApiVersion = "  " },
        { "ApiVersion 66.0", o => o.ApiVersion = "66.0" },
        { "ApiVersion v66.0", o => o.ApiVersion = "v66.0" },
        { "ApiVersion 100.0", o => o.ApiVersion = "100.0" },
        { "ApiVersion v999.0", o => o.ApiVersion = "v999.0" },
        { "ApiVersion 9.0 (one digit)", o => o.ApiVersion = "9.0" },
        { "ApiVersion 1000.0", o => o.ApiVersion = "1000.0" },
        { "ApiVersion 06.0", o => o.ApiVersion = "06.0" },
        { "ApiVersion 66.1", o => o.ApiVersion = "66.1" },
        { "ApiVersion 66", o => o.ApiVersion = "66" },
        { "ApiVersion 66.00", o => o.ApiVersion = "66.00" },
        { "ApiVersion V66.0", o => o.ApiVersion = "V66.0" },
        { "ApiVersion vv66.0", o => o.ApiVersion = "vv66.0" },
        { "ApiVersion 66.0 and a newline", o => o.ApiVersion = "66.0\n" },
        { "ApiVersion with a leading space", o => o.ApiVersion = " 66.0" },
        { "ApiVersion 6a.0", o => o.ApiVersion = "6a.0" },
        { "ApiVersion with Arabic-Indic digits", o => o.ApiVersion = "\u0666\u0666.0" },
        { "ApiVersion 66x0", o => o.ApiVersion = "66x0" },
        { "ApplicationId null", o => o.ApplicationId = null },
        { "ApplicationId empty", o => o.ApplicationId = string.Empty },
        { "ApplicationId every allowed character", o => o.ApplicationId = "Az09._-/" },
        { "ApplicationId 64 characters", o => o.ApplicationId = new string('a', 64) },
        { "ApplicationId 65 characters", o => o.ApplicationId = new string('a', 65) },
        { "ApplicationId with a space", o => o.ApplicationId = "My App" },
        { "ApplicationId with a newline at the end", o => o.ApplicationId = "MyApp\n" },
        { "ApplicationId with a letter outside ASCII", o => o.ApplicationId = "Caf\u00e9" },
        { "ApplicationId with a parenthesis", o => o.ApplicationId = "App(1)" },
        { "no resilience options", o => o.Resilience = null! },
        { "MaxRetryAttempts 0", o => o.Resilience.MaxRetryAttempts = 0 },
        { "MaxRetryAttempts 10", o => o.Resilience.MaxRetryAttempts = 10 },
        { "MaxRetryAttempts -1", o => o.Resilience.MaxRetryAttempts = -1 },
        { "MaxRetryAttempts 11", o => o.Resilience.MaxRetryAttempts = 11 },
        { "no circuit breaker options", o => o.Resilience.CircuitBreaker = null! },
        { "FailureRatio 0.01", o => o.Resilience.CircuitBreaker.FailureRatio = 0.01 },
        { "FailureRatio 1", o => o.Resilience.CircuitBreaker.FailureRatio = 1.0 },
        { "FailureRatio 0.0099", o => o.Resilience.CircuitBreaker.FailureRatio = 0.0099 },
        { "FailureRatio 1.0001", o => o.Resilience.CircuitBreaker.FailureRatio = 1.0001 },
        { "FailureRatio NaN", o => o.Resilience.CircuitBreaker.FailureRatio = double.NaN },
        { "FailureRatio infinite", o => o.Resilience.CircuitBreaker.FailureRatio = double.PositiveInfinity },
        { "MinimumThroughput 2", o => o.Resilience.CircuitBreaker.MinimumThroughput = 2 },
        { "MinimumThroughput int.MaxValue", o => o.Resilience.CircuitBreaker.MinimumThroughput = int.MaxValue },
        { "MinimumThroughput 1", o => o.Resilience.CircuitBreaker.MinimumThroughput = 1 },
        { "MinimumThroughput negative", o => o.Resilience.CircuitBreaker.MinimumThroughput = int.MinValue },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_plain_check_passes_exactly_what_the_DataAnnotations_validator_passes(string setting, Action<SalesforceOptions> change)
    {
        var options = new SalesforceOptions { ClientId = "abc" };
        change(options);

        var annotations = new SalesforceOptionsValidator().Validate(string.Empty, options);

        Assert.True(annotations.Succeeded == SalesforceOptionsAnnotations.AreSatisfied(options),
            $"{setting}: DataAnnotations say {(annotations.Succeeded ? "valid" : annotations.FailureMessage)}");
    }

    [Fact]
    public void A_broken_annotation_still_fails_with_the_annotations_own_message()
    {
        var options = new SalesforceOptions { ClientId = "abc", ApiVersion = "66" };

        var result = new SalesforceOptionsValidation().Validate("partner-org", options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Salesforce app 'partner-org': ", StringComparison.Ordinal)
            && f.Contains("ApiVersion must look like 66.0 or v66.0.", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_options_pass_without_a_failure()
    {
        var result = new SalesforceOptionsValidation().Validate(string.Empty, new SalesforceOptions { ClientId = "abc", ApplicationId = "MyApp" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
