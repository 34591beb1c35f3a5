using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Atom.Salesforce.PubSub.Protocol;

/// <summary>What a Subscribe and a ManagedSubscribe response have in common: the events, or a keepalive's latest replay id.</summary>
internal interface ISubscriptionResponse
{
    RepeatedField<ConsumerEvent> Events { get; }

    ByteString LatestReplayId { get; }
}

/// <summary>Subscribe's response (generated from the proto), as the shared subscribe loop reads it.</summary>
internal sealed partial class FetchResponse : ISubscriptionResponse;

/// <summary>ManagedSubscribe's response (generated from the proto), as the shared subscribe loop reads it.</summary>
internal sealed partial class ManagedFetchResponse : ISubscriptionResponse;
