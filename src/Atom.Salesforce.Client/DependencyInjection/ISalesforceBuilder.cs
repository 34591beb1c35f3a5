using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// Returned by <c>AddAtomSalesforce</c> so that the rest of the setup chains on: <c>.AddPostgresTokenStore(...)</c>,
/// <c>.AddAnalytics()</c>, <see cref="SalesforceBuilderExtensions.ConfigureHttpClient"/>.
/// </summary>
public interface ISalesforceBuilder
{
    /// <summary>The service collection the SDK is registered in.</summary>
    IServiceCollection Services { get; }
}

internal sealed class SalesforceBuilder(IServiceCollection services) : ISalesforceBuilder
{
    public IServiceCollection Services { get; } = services;
}
