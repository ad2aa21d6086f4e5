using System.Net;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public async Task Same_seed_and_same_script_give_the_same_ids_documents_and_logs()
    {
        var first = await RunScriptAsync(seed: 11);
        var second = await RunScriptAsync(seed: 11);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Another_seed_gives_other_ids()
    {
        var first = await RunScriptAsync(seed: 11);
        var other = await RunScriptAsync(seed: 12);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Generated_account_ids_follow_the_seed()
    {
        var options = new SimulatorOptions { Seed = 5, Accounts = [new AccountDefinition { Email = "A@B.com", Password = "p" }] };
        var a = new SchlageCloudSimulator(options).Accounts[0];
        var b = new SchlageCloudSimulator(options).Accounts[0];
        Assert.Equal(a, b);
        Assert.Equal("a@b.com", a.Email);
        Assert.NotEqual(a.UserIdForSrp, a.IdentityId);
    }

    private static async Task<string> RunScriptAsync(int seed)
    {
        var options = TestCloud.DefaultOptions(seed) with
        {
            Accounts = [TestCloud.DefaultOptions().Accounts[0] with
            {
                Locks = [.. TestCloud.DefaultOptions().Accounts[0].Locks.Select(l => l with { DeviceId = null })],
            }],
        };
        await using var cloud = await TestCloud.StartLoggedInAsync(options);
        var (_, list) = await cloud.GetAsync("devices?archetype=lock");
        var ids = list.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!).ToList();
        var added = await cloud.CommandAsync(ids[0], TestCloud.AddCode("Script", 2222));
        Assert.Equal(HttpStatusCode.OK, added.Status);
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{ids[1]}", """{"attributes":{"lockState":1}}""");
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        cloud.Admin.EnterKeypadCode(ids[0], "2222");
        cloud.Admin.SetBatteryLevel(ids[2], 10);
        var (_, after) = await cloud.GetAsync("devices?archetype=lock");
        var logs = string.Join("|", await Task.WhenAll(ids.Select(async id => (await cloud.GetAsync($"devices/{id}/logs")).Body.GetRawText())));
        var codes = (await cloud.GetAsync($"devices/{ids[0]}/storage/accesscode")).Body.GetRawText();
        return after.GetRawText() + logs + codes + cloud.UserIdForSrp;
    }
}
