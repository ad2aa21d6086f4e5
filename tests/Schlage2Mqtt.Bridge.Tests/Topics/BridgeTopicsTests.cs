using Schlage2Mqtt.Bridge.Topics;

namespace Schlage2Mqtt.Bridge.Tests.Topics;

public sealed class BridgeTopicsTests
{
    private readonly BridgeTopics _topics = new("s2m");

    [Theory]
    [InlineData("s2m/front/set", IncomingKind.Set, "front", null)]
    [InlineData("s2m/front/set/beeper", IncomingKind.SetAttribute, "front", "beeper")]
    [InlineData("s2m/front/get", IncomingKind.Get, "front", null)]
    [InlineData("s2m/bridge/request/lock", IncomingKind.Request, null, "lock")]
    [InlineData("s2m/bridge/request/access_code/add", IncomingKind.Request, null, "access_code/add")]
    [InlineData("s2m/bridge/request/", IncomingKind.None, null, null)]
    [InlineData("s2m/bridge/set", IncomingKind.None, null, null)]
    [InlineData("s2m/front", IncomingKind.None, null, null)]
    [InlineData("s2m/front/set/", IncomingKind.None, null, null)]
    [InlineData("other/front/set", IncomingKind.None, null, null)]
    public void Classify(string topic, IncomingKind kind, string? lockId, string? detail)
    {
        var incoming = _topics.Classify(topic);
        Assert.Equal(kind, incoming.Kind);
        Assert.Equal(lockId, incoming.TopicId);
        Assert.Equal(detail, incoming.Detail);
    }

    [Fact]
    public void Names_follow_the_contract()
    {
        Assert.Equal("s2m/bridge/state", _topics.BridgeState);
        Assert.Equal("s2m/bridge/response/access_code/add", _topics.Response("access_code/add"));
        Assert.Equal("s2m/front/availability", _topics.Availability("front"));
        Assert.Equal("s2m/front/access_codes", _topics.AccessCodes("front"));
    }
}
