using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Postgres;
using Npgsql;

// Registration extensions live where IServiceCollection does, like AddHttpClient and AddNpgsqlDataSource.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps the API governance's per-org budget in PostgreSQL, shared by every instance.</summary>
public static class PostgresGovernanceBuilderExtensions
{
    /// <summary>
    /// Counts the per-org API budget of <c>AddApiGovernance()</c> in PostgreSQL (table <c>salesforce_api_budget</c>, created on
    /// first use; registering governance with its defaults when it was not), so that every instance of the application using
    /// the same database shares one budget per org.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public static ISalesforceBuilder AddPostgresApiBudget(this ISalesforceBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddApiBudgetStore(_ => new PostgresApiBudgetStore(connectionString));
    }

    /// <summary>
    /// Counts the per-org API budget in PostgreSQL over the application's <see cref="NpgsqlDataSource"/> from the container
    /// (<c>AddNpgsqlDataSource(...)</c>); see <see cref="AddPostgresApiBudget(ISalesforceBuilder, string)"/>.
    /// </summary>
    /// <param name="builder">The SDK's builder.</param>
    public static ISalesforceBuilder AddPostgresApiBudget(this ISalesforceBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddApiBudgetStore(sp => new PostgresApiBudgetStore(sp.GetRequiredService<NpgsqlDataSource>()));
    }
}
