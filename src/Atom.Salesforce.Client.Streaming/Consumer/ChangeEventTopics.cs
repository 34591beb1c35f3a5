namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>The Change Data Capture topic names of Salesforce objects.</summary>
internal static class ChangeEventTopics
{
    /// <summary>
    /// <c>/data/OpportunityChangeEvent</c> for <c>Opportunity</c>, <c>/data/Invoice__ChangeEvent</c> for <c>Invoice__c</c>; a
    /// name that starts with <c>/</c> is already a topic (<c>/data/ChangeEvents</c>, a custom channel <c>/data/Sales__chn</c>,
    /// a platform event <c>/event/Order_Placed__e</c>) and is kept.
    /// </summary>
    public static string For(string objectOrTopic, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectOrTopic, parameterName);
        if (objectOrTopic.StartsWith('/'))
        {
            var parts = objectOrTopic.Split('/');
            if (parts.Length != 3 || parts[1] is not ("data" or "event") || !IsName(parts[2]))
            {
                throw new ArgumentException($"'{objectOrTopic}' is not a Pub/Sub topic name such as /data/OpportunityChangeEvent or /event/Order_Placed__e.", parameterName);
            }

            return objectOrTopic;
        }

        if (!IsName(objectOrTopic))
        {
            throw new ArgumentException($"'{objectOrTopic}' is not an sObject API name such as Opportunity or Invoice__c.", parameterName);
        }

        return objectOrTopic.EndsWith("__c", StringComparison.OrdinalIgnoreCase)
            ? $"/data/{objectOrTopic[..^1]}ChangeEvent"
            : $"/data/{objectOrTopic}ChangeEvent";
    }

    private static bool IsName(string name) =>
        name.Length is >= 1 and <= 80 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
