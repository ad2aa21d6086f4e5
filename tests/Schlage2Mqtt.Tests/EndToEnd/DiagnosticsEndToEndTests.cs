using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>Issue 11, item 13: the diagnostics request answers the lock's cloud document with every identifier redacted.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class DiagnosticsEndToEndTests
{
    [Fact]
    public async Task Diagnostics_answers_the_raw_cloud_document_with_ids_serials_macs_and_names_redacted()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();

        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/diagnostics", """{"lock": "front_door", "transaction": "d1"}""");

        var reply = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/diagnostics");
        var body = JsonNode.Parse(reply.Payload)!;
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        var document = body["data"]!["cloud_document"]!.AsObject();
        Assert.True(document.ContainsKey("serialNumber"));
        Assert.Equal("**REDACTED**", document["serialNumber"]!.GetValue<string>());
        Assert.Equal("**REDACTED**", document["macAddress"]!.GetValue<string>());
        Assert.NotNull(document["attributes"]!["lockState"]);
        foreach (var secret in new[] { DemoWorld.FrontDoorId, DemoWorld.Email, "Demo Household", world.Cloud.Accounts.Single(a => a.Email == DemoWorld.Email).IdentityId })
        {
            Assert.DoesNotContain(secret, reply.Payload, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Diagnostics_for_an_unknown_lock_says_so()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/diagnostics", """{"lock": "attic"}""");
        var body = JsonNode.Parse((await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/diagnostics")).Payload)!;
        Assert.Equal("unknown_lock", body["error"]!["code"]!.GetValue<string>());
    }
}
