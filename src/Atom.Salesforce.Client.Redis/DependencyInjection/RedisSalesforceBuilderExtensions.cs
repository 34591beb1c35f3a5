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
    /// <param name="blockSize">
    /// The most calls an instance takes from Redis at once and hands out from memory (<see cref="RedisApiBudgetStore.BlockSize"/>;
    /// 1 for a Redis round trip per call).
    /// </param>
    public static ISalesforceBuilder AddRedisApiBudget(
        this ISalesforceBuilder builder, string configuration, string? keyPrefix = null, int blockSize = RedisApiBudgetStore.DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        return builder.AddApiBudgetStore(_ => new RedisApiBudgetStore(configuration, keyPrefix ?? RedisApiBudgetStore.DefaultKeyPrefix) { BlockSize = blockSize });
    }
}
