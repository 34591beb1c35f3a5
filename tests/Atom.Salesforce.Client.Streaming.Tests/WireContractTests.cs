using Atom.Salesforce.PubSub.Protocol;

namespace Atom.Salesforce.Client.Streaming.Tests;

/// <summary>
/// The generated protocol must match Salesforce's published contract byte for byte: package eventbus.v1, the PubSub
/// service, and the field numbers of the messages every subscriber sends and reads.
/// </summary>
public sealed class WireContractTests
{
    [Fact]
    public void Service_and_messages_carry_Salesforces_names()
    {
        var file = FetchRequest.Descriptor.File;

        Assert.Equal("eventbus.v1", file.Package);
        var service = Assert.Single(file.Services);
        Assert.Equal("eventbus.v1.PubSub", service.FullName);
        Assert.Equal(
            ["Subscribe", "GetSchema", "GetTopic", "Publish", "PublishStream", "ManagedSubscribe"],
            service.Methods.Select(m => m.Name));
    }

    [Theory]
    [InlineData("topic_name", 1)]
    [InlineData("replay_preset", 2)]
    [InlineData("replay_id", 3)]
    [InlineData("num_requested", 4)]
    [InlineData("auth_refresh", 5)]
    public void FetchRequest_fields_have_Salesforces_numbers(string name, int number) =>
        Assert.Equal(number, FetchRequest.Descriptor.FindFieldByName(name).FieldNumber);

    [Theory]
    [InlineData("events", 1)]
    [InlineData("latest_replay_id", 2)]
    [InlineData("rpc_id", 3)]
    [InlineData("pending_num_requested", 4)]
    public void FetchResponse_fields_have_Salesforces_numbers(string name, int number) =>
        Assert.Equal(number, FetchResponse.Descriptor.FindFieldByName(name).FieldNumber);

    [Fact]
    public void Replay_presets_have_Salesforces_values()
    {
        Assert.Equal(0, (int)ReplayPreset.Latest);
        Assert.Equal(1, (int)ReplayPreset.Earliest);
        Assert.Equal(2, (int)ReplayPreset.Custom);
    }
}
