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

    /// <summary>
    /// The connected app this builder sets up: the name given to <c>AddAtomSalesforce(name, ...)</c>, or
    /// <c>Options.DefaultName</c> (empty) for the default app. <c>AddTokenStore</c>, <c>ConfigureHttpClient</c> and the token
    /// stores of other packages apply to this app only.
    /// </summary>
    string Name { get; }
}

internal sealed class SalesforceBuilder(IServiceCollection services, string name) : ISalesforceBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
