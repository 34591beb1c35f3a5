using System.Diagnostics.CodeAnalysis;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// Makes <see cref="SalesforceClient"/>s without a dependency-injection container, like <c>NpgsqlDataSource.Create</c>:
/// <c>using var factory = SalesforceClientFactory.Create(options, tokenStore);</c> then <c>factory.ForUser("user123")</c>.
/// The clients get exactly what <c>services.AddAtomSalesforce(...)</c> gives: the same authentication handler and token
/// refresh, resilience (retries, timeouts), telemetry and validation, because the factory holds that registration privately.
/// Make one per application and dispose of it at the end; the clients it made stop working then.
/// </summary>
public sealed class SalesforceClientFactory : ISalesforceClientFactory, IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly ISalesforceClientFactory _inner;

    private SalesforceClientFactory(ServiceProvider provider)
    {
        _provider = provider;
        _inner = provider.GetRequiredService<ISalesforceClientFactory>();
    }

    /// <summary>
    /// A factory whose clients call Salesforce as <paramref name="options"/> say, with tokens from <paramref name="tokenStore"/>.
    /// The options are validated now, as the container validates them when the host starts.
    /// </summary>
    /// <param name="options">The connected app and the settings; validated once, now: do not change the instance afterwards.</param>
    /// <param name="tokenStore">
    /// Where the users' tokens are read and refreshed tokens written: an <see cref="InMemoryTokenStore"/>, the PostgreSQL store
    /// (<c>PostgresTokenStore.CreateAsync</c>) or your own. A store that is also an <see cref="ISalesforceUsageRecorder"/>
    /// counts the API calls too. The caller keeps ownership of it.
    /// </param>
    /// <param name="handler">
    /// The innermost HTTP handler (a proxy, a test double, the emulator's <c>CreateHandler()</c>) under the SDK's own
    /// handlers; the SDK's default when null. The caller keeps ownership of it: disposing of the factory does not dispose it.
    /// </param>
    /// <param name="loggerFactory">Where the SDK logs; nowhere when null.</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public static SalesforceClientFactory Create(
        SalesforceOptions options,
        ITokenStore tokenStore,
        HttpMessageHandler? handler = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenStore);
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        // The one registration the container path uses; only the options instance, the store and the handler are the caller's.
        var builder = SalesforceRegistration.AddCore(services, Options.DefaultName);
        services.Replace(ServiceDescriptor.Singleton<IOptionsFactory<SalesforceOptions>>(sp =>
            new FixedOptionsFactory<SalesforceOptions>(options, sp.GetServices<IValidateOptions<SalesforceOptions>>())));
        services.Replace(ServiceDescriptor.Singleton(tokenStore));
        if (tokenStore is ISalesforceUsageRecorder recorder)
        {
            services.Replace(ServiceDescriptor.Singleton(recorder));
        }

        if (handler is not null)
        {
            // Never rotated, so the caller's handler is never disposed of under a client that uses it.
            SalesforceRegistration.ConfigureHttpClients(builder.Services, builder.Name, http => http
                .ConfigurePrimaryHttpMessageHandler(() => new CallerOwnedHandler(handler))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan));
        }

        var provider = services.BuildServiceProvider();
        try
        {
            // Validate now: without a host nothing else would before the first call.
            _ = provider.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue;
            return new SalesforceClientFactory(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>The private registration, for the packages that build on this factory (<c>PubSubClientFactory.Create</c>).</summary>
    internal IServiceProvider Services => _provider;

    /// <inheritdoc />
    public SalesforceClient ForUser(string userId) => _inner.ForUser(userId);

    /// <inheritdoc />
    public SalesforceClient ForUser(string userId, string username) => _inner.ForUser(userId, username);

    /// <summary>Releases the HTTP pipelines; the clients this factory made stop working.</summary>
    public void Dispose() => _provider.Dispose();

    /// <summary>Releases the HTTP pipelines; the clients this factory made stop working.</summary>
    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary>Hands the caller's handler to the pipeline without passing on its disposal.</summary>
    private sealed class CallerOwnedHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        [SuppressMessage("Usage", "CA2215:Dispose methods should call base class dispose", Justification = "base.Dispose would dispose of the caller's inner handler, which this wrapper exists to prevent.")]
        protected override void Dispose(bool disposing)
        {
            // The caller owns the inner handler: do not dispose of it (DelegatingHandler would).
        }
    }
}

/// <summary>Gives one options instance, checked by the registered validators, instead of building one from configuration.</summary>
internal sealed class FixedOptionsFactory<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(TOptions instance, IEnumerable<IValidateOptions<TOptions>> validators) : IOptionsFactory<TOptions>
    where TOptions : class
{
    public TOptions Create(string name)
    {
        var failures = new List<string>();
        foreach (var validator in validators)
        {
            var result = validator.Validate(name, instance);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        return failures.Count == 0 ? instance : throw new OptionsValidationException(name, typeof(TOptions), failures);
    }
}
