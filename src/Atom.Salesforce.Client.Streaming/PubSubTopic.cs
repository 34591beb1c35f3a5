namespace Atom.Salesforce.Client.Streaming;

/// <summary>A topic as <c>GetTopic</c> returns it.</summary>
public sealed class PubSubTopic
{
    internal PubSubTopic(string topicName, string schemaId, bool canPublish, bool canSubscribe, string tenantGuid)
    {
        TopicName = topicName;
        SchemaId = schemaId;
        CanPublish = canPublish;
        CanSubscribe = canSubscribe;
        TenantGuid = tenantGuid;
    }

    /// <summary>The topic, for example <c>/event/Order_Event__e</c> or <c>/data/AccountChangeEvent</c>.</summary>
    public string TopicName { get; }

    /// <summary>The id of the topic's current schema: the one to publish with.</summary>
    public string SchemaId { get; }

    /// <summary>Whether the user may publish to the topic.</summary>
    public bool CanPublish { get; }

    /// <summary>Whether the user may subscribe to the topic.</summary>
    public bool CanSubscribe { get; }

    /// <summary>The org's tenant id.</summary>
    public string TenantGuid { get; }

    /// <summary>The topic name and schema id.</summary>
    public override string ToString() => $"{TopicName} ({SchemaId})";
}
