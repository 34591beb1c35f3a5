using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>
/// Returned by <c>AddAtomSalesforceChangeEvents</c>: add a handler per object with <c>AddHandler</c>, and keep replay ids and
/// the subscriber lease somewhere shared (<c>UsePostgres()</c> of Atom.Salesforce.Client.Postgres) when the application runs
/// several instances.
/// </summary>
public interface IChangeEventsBuilder
{
    /// <summary>The service collection the consumer is registered in.</summary>
    IServiceCollection Services { get; }
}

internal sealed class ChangeEventsBuilder(IServiceCollection services) : IChangeEventsBuilder
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Adds a topic; a topic has one handler, so a second registration of it fails.</summary>
    public void AddTopic<TEvent>(string topic, Func<IServiceProvider, TEvent, ChangeEventContext, CancellationToken, Task> handle)
        where TEvent : notnull
    {
        if (Services.Any(d => d.ServiceType == typeof(TopicRegistration) && d.ImplementationInstance is TopicRegistration t
            && string.Equals(t.Topic, topic, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The topic {topic} already has a handler; a topic has one handler (it may dispatch further itself).", nameof(topic));
        }

        Services.AddSingleton<TopicRegistration>(new TopicRegistration<TEvent>(topic, handle));
    }
}
