using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.Streaming.Consumer;

/// <summary>Adds handlers to the hosted change event consumer.</summary>
public static class ChangeEventsBuilderExtensions
{
    /// <summary>
    /// Subscribes to the change events of <paramref name="objectName"/> and hands each one, decoded as
    /// <see cref="ChangeEvent{T}"/>, to <typeparamref name="THandler"/> (registered as scoped; resolved in a new scope per
    /// attempt). A topic has one handler.
    /// </summary>
    /// <typeparam name="T">The record type: a POCO of the object, or <c>SObject</c>.</typeparam>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="builder">The builder <c>AddAtomSalesforceChangeEvents</c> returned.</param>
    /// <param name="objectName">
    /// The object's API name (<c>Opportunity</c> reads <c>/data/OpportunityChangeEvent</c>, <c>Invoice__c</c> reads
    /// <c>/data/Invoice__ChangeEvent</c>), or a topic name starting with <c>/</c> (<c>/data/ChangeEvents</c>, a custom channel
    /// such as <c>/data/Sales__chn</c>).
    /// </param>
    /// <returns>The builder, to chain on.</returns>
    /// <exception cref="ArgumentException">The name is neither an object name nor a topic, or the topic already has a handler.</exception>
    public static IChangeEventsBuilder AddHandler<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IChangeEventsBuilder builder, string objectName)
        where THandler : class, IChangeEventHandler<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        var topic = ChangeEventTopics.For(objectName, nameof(objectName));
        if (builder is not ChangeEventsBuilder own)
        {
            throw new ArgumentException("The builder must be the one AddAtomSalesforceChangeEvents returned.", nameof(builder));
        }

        own.AddTopic<object>(topic, static (services, raw, context, cancellationToken) =>
        {
            // Decoded here, inside the attempt: an event that cannot be decoded is retried and dead-lettered like a failing handler.
            var change = raw switch
            {
                ReceivedEvent received => received.ToChangeEvent<T>(),
                ChangeEvent<T> decoded => decoded,
                _ => throw new InvalidOperationException($"Cannot hand a {raw.GetType().Name} to a change event handler of {typeof(T).Name}."),
            };
            return services.GetRequiredService<THandler>().HandleAsync(change, context, cancellationToken);
        });
        builder.Services.AddScoped<THandler>();
        return builder;
    }

    /// <summary>
    /// Subscribes to the change events of <paramref name="objectName"/> only to drop the SDK's cached query results of the
    /// objects they name (<see cref="ChangeEventsOptions.InvalidateCache"/>; needs <c>AddCaching()</c>), for an object the
    /// application has no handler of. An object with a handler needs nothing more: its events invalidate before the handler runs.
    /// </summary>
    /// <param name="builder">The builder <c>AddAtomSalesforceChangeEvents</c> returned.</param>
    /// <param name="objectName">The object's API name or a topic name starting with <c>/</c>, as for <c>AddHandler</c>.</param>
    /// <returns>The builder, to chain on.</returns>
    /// <exception cref="ArgumentException">The name is neither an object name nor a topic, or the topic already has a handler.</exception>
    public static IChangeEventsBuilder AddCacheInvalidation(this IChangeEventsBuilder builder, string objectName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var topic = ChangeEventTopics.For(objectName, nameof(objectName));
        if (builder is not ChangeEventsBuilder own)
        {
            throw new ArgumentException("The builder must be the one AddAtomSalesforceChangeEvents returned.", nameof(builder));
        }

        own.AddTopic<object>(topic, static (_, _, _, _) => Task.CompletedTask);
        return builder;
    }
}
