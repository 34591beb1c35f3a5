namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// What a replay id and a subscriber lease belong to: one org, one consumer (an application that reads the topic for its
/// own purpose) and one topic. Two consumers of the same topic keep their own replay ids and each has its own active
/// subscriber.
/// </summary>
public sealed class SubscriptionKey
{
    /// <summary>Creates a key.</summary>
    /// <param name="org">The Salesforce org id (<c>00D...</c>) or another name of the org, 1 to 255 characters.</param>
    /// <param name="consumer">The consumer's name (<see cref="ChangeEventsOptions.ConsumerName"/>), 1 to 255 characters.</param>
    /// <param name="topic">The Pub/Sub topic, for example <c>/data/OpportunityChangeEvent</c>, 1 to 255 characters.</param>
    public SubscriptionKey(string org, string consumer, string topic)
    {
        Check(org, nameof(org));
        Check(consumer, nameof(consumer));
        Check(topic, nameof(topic));
        Org = org;
        Consumer = consumer;
        Topic = topic;
    }

    /// <summary>The org.</summary>
    public string Org { get; }

    /// <summary>The consumer's name.</summary>
    public string Consumer { get; }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary><c>org/consumer/topic</c>, the form the PostgreSQL lease hashes and logs show.</summary>
    public override string ToString() => $"{Org}/{Consumer}{(Topic.StartsWith('/') ? string.Empty : "/")}{Topic}";

    internal (string Org, string Consumer, string Topic) Tuple => (Org, Consumer, Topic);

    private static void Check(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > 255)
        {
            throw new ArgumentException($"{name} is longer than 255 characters.", name);
        }
    }
}
