using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Redis;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the API governance's per-org budget in Redis, shared by every instance.</summary>
public static class RedisSalesforceBuilderExtensions
{
    /// <summary>
    /// Counts the per-org API budget of <c>AddApiGovernance()</c> in Redis (registering governance with its defaults when it
    /// was not), so that every instance of the application using the same Redis shares one budget per org.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>redis:6379</c>.</param>
    /// <param name="keyPrefix">Put before each org host in the key (<see cref="RedisApiBudgetStore.DefaultKeyPrefix"/> when null).</param>
    public static ISalesforceBuilder AddRedisApiBudget(this ISalesforceBuilder builder, string configuration, string? keyPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return builder.AddApiBudgetStore(_ => new RedisApiBudgetStore(configuration, keyPrefix ?? RedisApiBudgetStore.DefaultKeyPrefix));
    }
}
