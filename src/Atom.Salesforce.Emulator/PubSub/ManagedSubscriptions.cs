using System.Text.RegularExpressions;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.PubSub;

/// <summary>
/// The org's managed event subscriptions (<c>ManagedEventSubscription</c>, key prefix <c>18x</c>): their configuration,
/// the replay id each one committed last (kept by the org, as Salesforce keeps it on the server), and whether a client holds
/// it now (a managed subscription is unique per client: a second stream is refused while one is open).
/// </summary>
internal sealed partial class ManagedSubscriptions
{
    /// <summary>The key prefix of ManagedEventSubscription ids.</summary>
    public const string KeyPrefix = "18x";

    private readonly object _lock = new();
    private readonly List<ManagedSubscription> _all = [];
    private readonly EventCatalog _catalog;
    private readonly TimeProvider _time;
    private long _next;

    public ManagedSubscriptions(EventCatalog catalog, TimeProvider time, IEnumerable<ManagedEventSubscriptionDefinition> definitions)
    {
        _catalog = catalog;
        _time = time;
        foreach (var definition in definitions)
        {
            Add(definition);
        }
    }

    public IReadOnlyList<ManagedSubscription> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _all];
            }
        }
    }

    /// <summary>Adds a subscription; <see cref="ArgumentException"/> names what is wrong with the definition.</summary>
    public ManagedSubscription Add(ManagedEventSubscriptionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrEmpty(definition.DeveloperName) || !DeveloperNamePattern().IsMatch(definition.DeveloperName) || definition.DeveloperName.Contains("__", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The managed event subscription name '{definition.DeveloperName}' can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.");
        }

        var topic = Topic(definition.TopicName);
        var subscription = new ManagedSubscription
        {
            DeveloperName = definition.DeveloperName,
            Label = definition.Label ?? definition.DeveloperName.Replace('_', ' '),
            TopicName = topic,
            DefaultReplay = Preset(definition.DefaultReplay, "defaultReplay"),
            ErrorRecoveryReplay = Preset(definition.ErrorRecoveryReplay, "errorRecoveryReplay"),
            State = State(definition.State),
            CreatedDate = _time.GetUtcNow(),
        };
        subscription.LastModifiedDate = subscription.CreatedDate;
        lock (_lock)
        {
            if (_all.Any(s => s.DeveloperName.Equals(definition.DeveloperName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"A managed event subscription named '{definition.DeveloperName}' already exists.");
            }

            subscription.Id = RecordIds.Create(KeyPrefix, ++_next);
            _all.Add(subscription);
        }

        return subscription;
    }

    /// <summary>A subscription by id (15 or 18 characters) or, when no id is given, by developer name.</summary>
    public ManagedSubscription? Find(string? id, string? developerName)
    {
        lock (_lock)
        {
            if (!string.IsNullOrEmpty(id))
            {
                return id.Length is 15 or 18 ? _all.FirstOrDefault(s => string.CompareOrdinal(s.Id, 0, id, 0, 15) == 0) : null;
            }

            return string.IsNullOrEmpty(developerName) ? null : _all.FirstOrDefault(s => s.DeveloperName.Equals(developerName, StringComparison.OrdinalIgnoreCase));
        }
    }

    public bool Remove(ManagedSubscription subscription)
    {
        lock (_lock)
        {
            return _all.Remove(subscription);
        }
    }

    /// <summary>Changes the configuration (a Tooling API update): each non-null value replaces the current one.</summary>
    public void Update(ManagedSubscription subscription, string? label, string? topicName, string? defaultReplay, string? errorRecoveryReplay, string? state)
    {
        var topic = topicName is null ? null : Topic(topicName);
        var preset = defaultReplay is null ? null : Preset(defaultReplay, "defaultReplay");
        var recovery = errorRecoveryReplay is null ? null : Preset(errorRecoveryReplay, "errorRecoveryReplay");
        var newState = state is null ? null : State(state);
        lock (subscription.Gate)
        {
            subscription.Label = label ?? subscription.Label;
            subscription.TopicName = topic ?? subscription.TopicName;
            subscription.DefaultReplay = preset ?? subscription.DefaultReplay;
            subscription.ErrorRecoveryReplay = recovery ?? subscription.ErrorRecoveryReplay;
            subscription.State = newState ?? subscription.State;
            subscription.LastModifiedDate = _time.GetUtcNow();
        }
    }

    private string Topic(string? name) =>
        _catalog.Topic(name)?.Name ?? throw new ArgumentException($"The topic '{name}' of the managed event subscription doesn't exist.");

    private static string Preset(string? value, string field) => value?.ToUpperInvariant() switch
    {
        "LATEST" => "LATEST",
        "EARLIEST" => "EARLIEST",
        _ => throw new ArgumentException($"{field} must be LATEST or EARLIEST; got '{value}'."),
    };

    private static string State(string? value) => value?.ToUpperInvariant() switch
    {
        "RUN" => "RUN",
        "STOP" => "STOP",
        _ => throw new ArgumentException($"state must be RUN or STOP; got '{value}'."),
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(?<!_)$")]
    private static partial Regex DeveloperNamePattern();
}

/// <summary>One managed subscription: its configuration, its committed replay id and whether a client holds it.</summary>
internal sealed class ManagedSubscription
{
    public object Gate { get; } = new();

    public string Id { get; set; } = string.Empty;

    public required string DeveloperName { get; init; }

    public required string Label { get; set; }

    public required string TopicName { get; set; }

    public required string DefaultReplay { get; set; }

    public required string ErrorRecoveryReplay { get; set; }

    public required string State { get; set; }

    public DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset LastModifiedDate { get; set; }

    /// <summary>The replay id the client committed last; null before the first commit.</summary>
    public long? Committed { get; set; }

    /// <summary>True while a ManagedSubscribe stream holds the subscription.</summary>
    public bool Held { get; set; }
}
