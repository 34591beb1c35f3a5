using System.Net;
using Atom.Salesforce.Client.AspNetCore.Routing;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Client.Streaming;
using Atom.Salesforce.Client.Streaming.Consumer;
using Microsoft.Extensions.Logging;

namespace Atom.Salesforce.Client.AspNetCore.Webhooks;

/// <summary>
/// Turns each change event the hosted consumer reads into outbox rows, one per matching endpoint, in one transaction, before
/// the consumer commits the event's replay id: an event is either queued for every endpoint or received again (and then
/// queued once, the outbox being unique per event and endpoint). An endpoint matches when its owner's login is in the event's
/// org, it subscribes to the object, and to the change type (gap events match their base type; <c>GAP_OVERFLOW</c> always).
/// </summary>
/// <remarks>
/// What each owner receives is what that owner can read: the object's describe made with the owner's own token, which
/// Salesforce builds from the user's field-level security, lists the fields the user can read; the others are left out of
/// <c>fields</c> and of the field lists. An owner whose describe of the object fails with 403/404 cannot read the object and
/// receives nothing for it; an owner whose Salesforce connection is gone has the endpoint disabled, with the reason listed.
/// Record sharing is not checked: a change event, like Salesforce's own subscription, carries changes to every record of
/// the object.
/// </remarks>
internal sealed class WebhookChangeHandler(
    WebhookStore store,
    ISalesforceClientFactory clients,
    DescribeCache describes,
    TimeProvider time,
    ILogger<WebhookChangeHandler> logger) : IChangeEventHandler<SObject>
{
    public async Task HandleAsync(ChangeEvent<SObject> change, ChangeEventContext context, CancellationToken cancellationToken = default)
    {
        var header = change.Header;
        var endpoints = await store.FindSubscribersAsync(context.Subscription.Org, header.EntityName, cancellationToken).ConfigureAwait(false);
        if (endpoints.Count == 0)
        {
            return;
        }

        var readableByOwner = new Dictionary<(string, string?), Func<string, bool>?>();
        var messages = new List<OutboxMessage>();
        var eventKey = WebhookPayload.EventKey(header, context);
        var replayId = context.ReplayId.ToArray();
        foreach (var endpoint in endpoints.Where(e => Matches(e.ChangeTypes, header.ChangeType)))
        {
            var owner = (endpoint.UserId, endpoint.Username);
            if (!readableByOwner.TryGetValue(owner, out var readable))
            {
                readable = await ReadableAsync(endpoint, header.EntityName, cancellationToken).ConfigureAwait(false);
                readableByOwner[owner] = readable;
            }

            if (readable is null)
            {
                continue;
            }

            messages.Add(new OutboxMessage(endpoint.Id, eventKey, replayId, WebhookPayload.TypeOf(header), WebhookPayload.Build(change, context, readable)));
        }

        var queued = await store.EnqueueAsync(messages, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        WebhookLog.Queued(logger, header.EntityName, header.ChangeTypeName, queued, messages.Count - queued);
    }

    /// <summary>Whether an endpoint subscribed to <paramref name="type"/> (an empty list is every type).</summary>
    internal static bool Matches(IReadOnlyList<string> changeTypes, ChangeType type) => type switch
    {
        _ when changeTypes.Count == 0 => true,
        ChangeType.GapOverflow => true,
        ChangeType.Create or ChangeType.GapCreate => changeTypes.Contains("CREATE"),
        ChangeType.Update or ChangeType.GapUpdate => changeTypes.Contains("UPDATE"),
        ChangeType.Delete or ChangeType.GapDelete => changeTypes.Contains("DELETE"),
        ChangeType.Undelete or ChangeType.GapUndelete => changeTypes.Contains("UNDELETE"),
        _ => false,
    };

    /// <summary>The owner's readable fields of the object (from the owner's describe), or null when the owner receives nothing.</summary>
    private async Task<Func<string, bool>?> ReadableAsync(StoredEndpoint endpoint, string objectName, CancellationToken cancellationToken)
    {
        var client = endpoint.Username is { } username ? clients.ForUser(endpoint.UserId, username) : clients.ForUser(endpoint.UserId);
        try
        {
            var describe = await describes.GetAsync(client, objectName, cancellationToken).ConfigureAwait(false);
            var fields = new HashSet<string>(describe.Fields.Select(f => f.Name), StringComparer.OrdinalIgnoreCase);
            return name => string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || fields.Contains(name);
        }
        catch (SalesforceAuthenticationException e)
        {
            var reason = $"The owner's Salesforce connection can no longer be used ({e.ErrorCode}): connect again, then enable the endpoint.";
            await store.DisableAsync(endpoint.Id, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            WebhookLog.OwnerDisconnected(logger, endpoint.Id, endpoint.UserId, e.ErrorCode);
            return null;
        }
        catch (SalesforceApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            WebhookLog.ObjectNotReadable(logger, endpoint.Id, endpoint.UserId, objectName);
            return null;
        }
    }
}
