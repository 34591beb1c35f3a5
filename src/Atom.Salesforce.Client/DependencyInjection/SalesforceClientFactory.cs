using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.Configuration;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atom.Salesforce.Client.DependencyInjection;

/// <summary>
/// Makes <see cref="SalesforceClient"/>s without a dependency-injection container, like <c>NpgsqlDataSource.Create</c>:
/// <c>using var factory = SalesforceClientFactory.Create(options, tokenStore);</c> then <c>factory.ForUser("user123")</c>.
/// The clients get what <c>services.AddAtomSalesforce(...)</c> gives: the same validation, authentication handler and token
/// refresh, resilience (retries, timeouts, circuit breakers) and telemetry, from the same parts and the same list of HTTP
/// handlers; no container is built. Make one per application and dispose of it at the end; the clients it made stop working then.
/// </summary>
public sealed class SalesforceClientFactory : ISalesforceClientFactory, IDisposable, IAsyncDisposable
{
    private readonly ISalesforceClientFactory _inner;
    private readonly Handlers _handlers;

    private SalesforceClientFactory(SalesforceApp app, Handlers handlers, ILoggerFactory loggers)
    {
        _inner = app.Factory;
        _handlers = handlers;
        App = app;
        Loggers = loggers;
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

        // Validate now, with the validator the container runs when the host starts: the same checks, the same messages.
        var name = Options.DefaultName;
        var validation = new SalesforceOptionsValidation().Validate(name, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(name, typeof(SalesforceOptions), validation.Failures);
        }

        var handlers = new Handlers(handler);
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var settings = new FixedOptionsMonitor(options);
        SalesforceApp? app = null;
        app = new SalesforceApp(
            name,
            settings,
            tokenStore,
            static store => store as ISalesforceUsageRecorder ?? NullSalesforceUsageRecorder.Instance,
            TimeProvider.System,
            new SalesforceTelemetry(handlers.Meters),
            loggers,
            // What the container's OAuth client is: the app's user agent, the attempt timeout, nothing retried.
            () => new HttpClient(handlers.OAuth, disposeHandler: false)
            {
                Timeout = options.Resilience.AttemptTimeout,
                DefaultRequestHeaders = { { "User-Agent", SdkInfo.UserAgent(options.ApplicationId) } },
            },
            // The same handlers as the container's pipeline, chained by hand on the first request.
            () => ApiPipeline.Fixed(handlers.Api(() => SalesforceRegistration.ApiHandlers(app!, governor: null))));
        return new SalesforceClientFactory(app, handlers, loggers);
    }

    /// <summary>The connected app, for the packages that build on this factory (<c>PubSubClientFactory.Create</c>).</summary>
    internal SalesforceApp App { get; }

    /// <summary>Where the SDK logs (the caller's logger factory, or nowhere).</summary>
    internal ILoggerFactory Loggers { get; }

    /// <summary>The meter factory of the SDK's telemetry in this factory.</summary>
    internal IMeterFactory Meters => _handlers.Meters;

    /// <inheritdoc />
    public SalesforceClient ForUser(string userId) => _inner.ForUser(userId);

    /// <inheritdoc />
    public SalesforceClient ForUser(string userId, string username) => _inner.ForUser(userId, username);

    /// <summary>Releases the HTTP pipelines; the clients this factory made stop working.</summary>
    public void Dispose() => _handlers.Dispose();

    /// <summary>Releases the HTTP pipelines; the clients this factory made stop working.</summary>
    public ValueTask DisposeAsync()
    {
        _handlers.Dispose();
        return default;
    }

    /// <summary>
    /// What the factory owns: the REST chain and the OAuth handler (each made on first use, over the caller's handler or the
    /// SDK's default), and the meter of the SDK's telemetry.
    /// </summary>
    private sealed class Handlers(HttpMessageHandler? callerHandler) : IDisposable
    {
        private readonly object _lock = new();
        private HttpMessageHandler? _api;
        private HttpMessageHandler? _oauth;
        private bool _disposed;

        public MeterFactory Meters { get; } = new();

        public HttpMessageHandler OAuth
        {
            get
            {
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, typeof(SalesforceClientFactory));
                    return _oauth ??= Primary();
                }
            }
        }

        public HttpMessageHandler Api(Func<DelegatingHandler[]> sdkHandlers)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(SalesforceClientFactory));
                return _api ??= SalesforceRegistration.Chain(sdkHandlers(), Primary());
            }
        }

        /// <summary>Never rotated, so the caller's handler is never disposed of under a client that uses it.</summary>
        private HttpMessageHandler Primary() =>
            callerHandler is null ? SalesforceRegistration.CreatePrimaryHandler() : new CallerOwnedHandler(callerHandler);

        public void Dispose()
        {
            HttpMessageHandler? api, oauth;
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                (api, oauth) = (_api, _oauth);
            }

            api?.Dispose();
            oauth?.Dispose();
            Meters.Dispose();
        }
    }

    /// <summary>The meters of one factory (the SDK's <c>Atom.Salesforce</c> meter), disposed with it, as the container's would be.</summary>
    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                foreach (var meter in _meters)
                {
                    meter.Dispose();
                }

                _meters.Clear();
            }
        }
    }

    /// <summary>The one options instance the factory was made with, validated once in <see cref="Create"/>.</summary>
    private sealed class FixedOptionsMonitor(SalesforceOptions options) : IOptionsMonitor<SalesforceOptions>
    {
        public SalesforceOptions CurrentValue => options;

        public SalesforceOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<SalesforceOptions, string?> listener) => null;
    }

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
