using Schlage2Mqtt.Bridge.Activity;

namespace Schlage2Mqtt.Bridge.Tests.Activity;

/// <summary>Log event codes against pyschlage's LOG_EVENT_TYPES table (reference section 5).</summary>
public sealed class ActivityMapperTests
{
    [Theory]
    [InlineData(52, "unlocked", "apple")]
    [InlineData(53, "locked", "apple")]
    [InlineData(24, "logs_cleared", null)]
    [InlineData(25, "locked", "remote")]
    [InlineData(26, "unlocked", "remote")]
    [InlineData(47, "locked", "schedule")]
    [InlineData(64, "locked", "keypad")]
    [InlineData(65, "locked", "mobile")]
    [InlineData(66, "locked", "key_fob")]
    [InlineData(67, "locked", "nfc")]
    [InlineData(68, "unlocked", "inside_button")]
    [InlineData(69, "locked", "inside_button")]
    [InlineData(70, "unlocked", "inside_lever")]
    [InlineData(71, "door_opened", null)]
    [InlineData(72, "door_closed", null)]
    [InlineData(74, "locked", "key_fob")]
    [InlineData(75, "unlocked", "key_fob")]
    [InlineData(76, "unlocked", "mechanical_key")]
    public void Event_codes_map_as_pyschlages_table_names_them(int code, string eventType, string? method) =>
        Assert.Equal(new ActivityKind(eventType, method), ActivityMapper.Map(code));

    [Fact]
    public void Every_event_type_a_code_maps_to_is_in_the_list_Home_Assistant_is_given()
    {
        var mapped = Enumerable.Range(-1, 300).Select(c => ActivityMapper.Map(c).EventType).Distinct();
        Assert.All(mapped, e => Assert.Contains(e, ActivityMapper.EventTypes));
    }
}
