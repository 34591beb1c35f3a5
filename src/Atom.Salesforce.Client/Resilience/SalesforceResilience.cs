using System.Collections.Concurrent;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Telemetry;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.Resilience;

/// <summary>
/// The resilience state of one connected app, held by the SDK itself (no pipeline registry, no container): the settings of
/// its current options and one circuit breaker per org host. Reloadable: when the app's options change (a new options instance, so a new <see cref="SalesforceResilienceOptions"/>), the next request gets state built from the new
/// settings, as <c>EnableReloads</c> gave before. Shared by <see cref="SalesforceResilienceHandler"/> (total timeout and
/// retries, outside the auth handler) and every attempt (<see cref="SalesforceAttempt"/>: circuit breaker and attempt
/// timeout, inside it), so that the handlers the HTTP client factory rotates keep the breakers' counts.
/// </summary>
internal sealed class SalesforceResilience
{
    private readonly Func<SalesforceResilienceOptions> _options;
    private Settings? _settings;

    /// <param name="appName">The connected app's registration name (empty for the default app).</param>
    /// <param name="options">The app's current resilience options (a new instance when the app's options are reloaded).</param>
    /// <param name="telemetry">The SDK's meter (circuit breaker openings and rejections).</param>
    /// <param name="loggerFactory">Where the retries and the breakers log.</param>
    /// <param name="timeProvider">The clock of the breakers and of the retry delays.</param>
    public SalesforceResilience(
        string appName,
        Func<SalesforceResilienceOptions> options,
        SalesforceTelemetry telemetry,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        AppName = appName;
        _options = options;
        Telemetry = telemetry;
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger("Atom.Salesforce.Client.Http");
    }

    public string AppName { get; }

    public SalesforceTelemetry Telemetry { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>The state for the app's options now: the same instance until the options change.</summary>
    public Settings Current
    {
        get
        {
            var options = _options();
            var settings = Volatile.Read(ref _settings);
            if (settings is not null && ReferenceEquals(settings.Source, options))
            {
                return settings;
            }

            var fresh = new Settings(this, options);
            return Interlocked.CompareExchange(ref _settings, fresh, settings) == settings ? fresh : Volatile.Read(ref _settings)!;
        }
    }

    /// <summary>Reports what recording an attempt did to its breaker: the meter and the log.</summary>
    public void Record(CircuitBreaker breaker, bool failed)
    {
        switch (breaker.Record(failed))
        {
            case CircuitBreaker.Transition.Opened:
                Telemetry.RecordCircuitOpened(breaker.Authority, AppName);
                Log.CircuitOpened(Logger, breaker.Authority, AppName, breaker.BreakDuration);
                break;
            case CircuitBreaker.Transition.Closed:
                Log.CircuitClosed(Logger, breaker.Authority, AppName);
                break;
        }
    }

    /// <summary>
    /// A call the open breaker refused: a transient <see cref="SalesforceException"/> with
    /// <see cref="SalesforceError.Codes.CircuitOpen"/> (never retried: the breaker says the org is down), counted in the meter.
    /// </summary>
    public SalesforceException Rejected(CircuitBreaker breaker)
    {
        Telemetry.RecordCircuitRejected(breaker.Authority, AppName);
        var app = AppName.Length == 0 ? string.Empty : $" (connected app '{AppName}')";
        return new SalesforceException(
            $"Nothing was sent to Salesforce host {breaker.Authority}{app}: its circuit breaker is open after repeated transient failures. "
            + "Try again after the break (Salesforce:Resilience:CircuitBreaker:BreakDuration).", innerException: null, isTransient: true)
        {
            ErrorCode = SalesforceError.Codes.CircuitOpen,
        };
    }

    /// <summary>The resilience of one options instance of the app.</summary>
    internal sealed class Settings
    {
        private readonly SalesforceResilience _owner;
        private readonly ConcurrentDictionary<string, CircuitBreaker>? _breakers;

        public Settings(SalesforceResilience owner, SalesforceResilienceOptions source)
        {
            _owner = owner;
            Source = source;
            Options = source;
            _breakers = Options.CircuitBreaker is { Enabled: true } ? new ConcurrentDictionary<string, CircuitBreaker>(StringComparer.OrdinalIgnoreCase) : null;
        }

        /// <summary>The options instance these settings were built from (by reference: a reload makes a new one).</summary>
        public SalesforceResilienceOptions Source { get; }

        public SalesforceResilienceOptions Options { get; }

        /// <summary>Whether a request with <paramref name="method"/> may be retried: safe methods, retries on.</summary>
        public bool Retries(HttpMethod method) => Options.MaxRetryAttempts > 0 && SalesforceRetry.IsSafeToRepeat(method);

        /// <summary>The breaker of the request's org host (scheme, host and port), or null when breakers are off.</summary>
        public CircuitBreaker? BreakerFor(Uri requestUri)
        {
            if (_breakers is null)
            {
                return null;
            }

            // On the scheme's default port (every Salesforce org) the host is the authority, and the request's Uri keeps it
            // for the socket handler too: no string is made per attempt.
            var key = requestUri.IsDefaultPort ? requestUri.Host : requestUri.Authority;
            return _breakers.TryGetValue(key, out var breaker)
                ? breaker
                : _breakers.GetOrAdd(key, new CircuitBreaker(requestUri.Authority, Options.CircuitBreaker, _owner.TimeProvider));
        }
    }
}
