namespace Schlage2Mqtt.Mqtt.Tests.Codec;

public sealed class TopicTests
{
    [Theory]
    [InlineData("sport/tennis/player1", true)]
    [InlineData("/", true)]
    [InlineData("$SYS/broker", true)]
    [InlineData("a//b", true)]
    [InlineData("", false)]
    [InlineData("a/+", false)]
    [InlineData("a/#", false)]
    [InlineData("a\0b", false)]
    public void Topic_name_rules(string topic, bool valid) => Assert.Equal(valid, MqttTopic.IsValidTopicName(topic));

    [Theory]
    [InlineData("sport/tennis/#", true)]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("+/tennis/#", true)]
    [InlineData("sport/+/player1", true)]
    [InlineData("$share/group/a/#", true)]
    [InlineData("sport/tennis#", false)]
    [InlineData("sport/tennis/#/ranking", false)]
    [InlineData("sport+", false)]
    [InlineData("$share//a", false)]
    [InlineData("$share/g", false)]
    [InlineData("", false)]
    public void Topic_filter_rules(string filter, bool valid) => Assert.Equal(valid, MqttTopic.IsValidTopicFilter(filter));

    [Theory]
    // Examples of MQTT 5 section 4.7.1.2 and 4.7.1.3, and 4.7.2 for $ topics.
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/ranking", true)]
    [InlineData("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true)]
    [InlineData("sport/#", "sport", true)]
    [InlineData("#", "sport/tennis", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1", true)]
    [InlineData("sport/tennis/+", "sport/tennis/player1/tournament", false)]
    [InlineData("sport/+", "sport", false)]
    [InlineData("sport/+", "sport/", true)]
    [InlineData("+/+", "/finance", true)]
    [InlineData("/+", "/finance", true)]
    [InlineData("+", "/finance", false)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/monitor/Clients", "$SYS/monitor/Clients", false)]
    [InlineData("$SYS/#", "$SYS/monitor/Clients", true)]
    [InlineData("$SYS/monitor/+", "$SYS/monitor/Clients", true)]
    [InlineData("$share/g/a/+", "a/b", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/B", false)]
    public void Filter_matching(string filter, string topic, bool matches) => Assert.Equal(matches, MqttTopic.Matches(filter, topic));

    [Fact]
    public void A_lone_surrogate_is_not_a_valid_topic()
    {
        // Built at run time: a lone surrogate does not survive test-case serialization.
        var topic = "a" + (char)0xD800;
        Assert.False(MqttTopic.IsValidTopicName(topic));
        Assert.False(MqttTopic.IsValidTopicName("b" + (char)0xDC00 + "c"));
        Assert.True(MqttTopic.IsValidTopicName("😀"));
    }

    [Fact]
    public void Validation_errors_name_the_parameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => MqttTopic.ValidateTopicName("a/#", "command"));
        Assert.Equal("command", ex.ParamName);
        Assert.Contains("wildcard", ex.Message, StringComparison.Ordinal);
    }
}
