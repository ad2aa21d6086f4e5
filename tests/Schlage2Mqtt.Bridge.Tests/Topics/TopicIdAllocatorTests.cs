using Schlage2Mqtt.Bridge.Topics;

namespace Schlage2Mqtt.Bridge.Tests.Topics;

public sealed class TopicIdAllocatorTests
{
    [Theory]
    [InlineData("Front Door", "front_door")]
    [InlineData("  Back   door!! ", "back_door")]
    [InlineData("Café Entrée", "cafe_entree")]
    [InlineData("Garage-Side #2", "garage_side_2")]
    [InlineData("???", "lock")]
    [InlineData("", "lock")]
    public void Slug_keeps_only_lowercase_letters_digits_and_underscores(string name, string slug) =>
        Assert.Equal(slug, TopicIdAllocator.Slug(name));

    [Fact]
    public void Collision_gets_a_short_device_id_suffix()
    {
        var ids = new TopicIdAllocator();
        Assert.Equal("front_door", ids.Assign("aaaa1111-0000", "Front Door", null).TopicId);
        Assert.Equal("front_door_bbbb", ids.Assign("bbbb2222-0000", "Front door", null).TopicId);
    }

    [Fact]
    public void The_reserved_bridge_id_is_never_assigned_to_a_lock()
    {
        var ids = new TopicIdAllocator();
        Assert.Equal("bridge_cccc", ids.Assign("cccc3333", "Bridge", null).TopicId);
    }

    [Fact]
    public void Assigned_id_survives_a_rename_and_a_restart()
    {
        var first = new TopicIdAllocator();
        first.Assign("dev-1", "Front Door", null);
        var restarted = new TopicIdAllocator(first.Assignments);
        var (id, changed) = restarted.Assign("dev-1", "Porch", null);
        Assert.Equal("front_door", id);
        Assert.False(changed);
    }

    [Fact]
    public void Alias_wins_and_moves_a_lock_that_held_it_by_slug()
    {
        var ids = new TopicIdAllocator();
        ids.Assign("dev-a", "Front", null);
        var (id, changed) = ids.Assign("dev-b", "Whatever", "front");
        Assert.Equal("front", id);
        Assert.True(changed);
        Assert.Equal("front_deva", ids.Assignments["dev-a"]);
    }

    [Fact]
    public void Released_id_can_be_reused()
    {
        var ids = new TopicIdAllocator();
        ids.Assign("dev-a", "Door", null);
        Assert.True(ids.Release("dev-a"));
        Assert.Equal("door", ids.Assign("dev-b", "Door", null).TopicId);
    }
}
