using System.Text.Json.Nodes;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Provider;

/// <summary>The diagnostics document: an allow-list keeps the safe values, everything else is redacted with its key kept.</summary>
public sealed class DiagnosticsRedactorTests
{
    // The shape of a Wi-Fi lock's document as pyschlage's test fixtures have it, values changed.
    private const string Document = """
        {
          "CAT": "01234", "SAT": "98765",
          "attributes": {
            "CAT": "01234", "SAT": "98765", "accessCodeLength": 4, "alarmSelection": 0, "alarmSensitivity": 0, "alarmState": 0,
            "autoLockTime": 0, "batteryChangeDate": 1669017530, "batteryLevel": 95, "batteryLowState": 0,
            "batterySaverConfig": {"activePeriod": [], "enabled": 0}, "beeperEnabled": 1,
            "bleFirmwareVersion": "0118.000103.015", "diagnostics": {"resetReason": "wdt"},
            "firmwareUpdate": {"status": {"additionalInfo": null, "updateStatus": null}},
            "lockAndLeaveEnabled": 1, "lockState": 1,
            "lockStateMetadata": {"UUID": "5f1e2d3c-0000-4000-8000-00000000abcd", "actionType": "accesscode", "clientId": "client-77", "name": "Rob Guest"},
            "macAddress": "AA:BB:CC:00:11:22", "mainFirmwareVersion": "10.00.00264232", "modelName": "BE489WB1 619",
            "serialNumber": "d34db33f", "wifiFirmwareVersion": "03.15.00.01", "wifiRssi": -42,
            "wifiSsid": "HomeNet-5G", "futureCounter": 17
          },
          "connected": true, "connectivityUpdated": "2022-12-04T20:58:22.000Z", "created": "2020-04-05T21:53:11.000Z",
          "deviceId": "6a2d8b1e-1111-4111-8111-111111111111", "devicetypeId": "be489wifi", "lastUpdated": "2022-12-04T20:58:22.000Z",
          "macAddress": "AA:BB:CC:00:11:22", "modelName": "BE489WB1 619", "name": "Front Door", "physicalId": "serial-number",
          "relatedDevices": [{"deviceId": "bridge-0042"}], "role": "owner", "serialNumber": "serial-number", "timezone": -20,
          "users": [
            {"email": "asdf@example.com", "friendlyName": "Alice Example", "identityId": "user-uuid-1", "role": "owner", "created": "2022-12-24T20:00:00.000Z"},
            {"email": "foo@example.org", "friendlyName": "Foo Bar", "identityId": "foo-bar-uuid", "role": "guest"}
          ]
        }
        """;

    private static readonly string[] Secrets =
    [
        "01234", "98765", "AA:BB:CC:00:11:22", "d34db33f", "serial-number", "6a2d8b1e-1111-4111-8111-111111111111", "Front Door",
        "asdf@example.com", "Alice Example", "user-uuid-1", "foo@example.org", "Foo Bar", "foo-bar-uuid", "bridge-0042",
        "5f1e2d3c-0000-4000-8000-00000000abcd", "client-77", "Rob Guest", "HomeNet-5G", "wdt",
    ];

    [Fact]
    public void Identifiers_tokens_serials_macs_and_names_are_redacted_and_safe_values_kept()
    {
        var redacted = DiagnosticsRedactor.Redact(JsonNode.Parse(Document)!.AsObject());
        var text = redacted.ToJsonString();

        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        var attributes = redacted["attributes"]!;
        Assert.Equal("be489wifi", (string?)redacted["devicetypeId"]);
        Assert.Equal("BE489WB1 619", (string?)redacted["modelName"]);
        Assert.True((bool)redacted["connected"]!);
        Assert.Equal(1, (int)attributes["lockState"]!);
        Assert.Equal(95, (int)attributes["batteryLevel"]!);
        Assert.Equal(-42, (int)attributes["wifiRssi"]!);
        Assert.Equal("10.00.00264232", (string?)attributes["mainFirmwareVersion"]);
        Assert.Equal("accesscode", (string?)attributes["lockStateMetadata"]!["actionType"]);
        Assert.Equal("owner", (string?)redacted["users"]![0]!["role"]);
        Assert.Equal("guest", (string?)redacted["users"]![1]!["role"]);
    }

    [Fact]
    public void Unknown_keys_keep_their_names_so_the_shape_shows_but_never_their_values()
    {
        var redacted = DiagnosticsRedactor.Redact(JsonNode.Parse(Document)!.AsObject());
        var attributes = redacted["attributes"]!.AsObject();

        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)attributes["wifiSsid"]);
        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)attributes["futureCounter"]);
        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)attributes["diagnostics"]!["resetReason"]);
        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)redacted["users"]![0]!["friendlyName"]);
        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)redacted["relatedDevices"]![0]!["deviceId"]);
        Assert.Null(attributes["firmwareUpdate"]!["status"]!["updateStatus"]);
        Assert.Equal(
            JsonNode.Parse(Document)!.AsObject().Select(p => p.Key),
            redacted.Select(p => p.Key));
    }

    [Fact]
    public async Task The_account_reads_the_lock_once_and_answers_the_redacted_document()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        var before = h.Cloud.Requests.Count;

        var diagnostics = await account.GetDiagnosticsAsync("lock-1", default);
        var missing = await account.GetDiagnosticsAsync("nowhere", default);

        Assert.True(diagnostics.IsSuccess, diagnostics.Failure?.ToString());
        Assert.Equal(DiagnosticsRedactor.Redacted, (string?)diagnostics.Value!["deviceId"]);
        Assert.Equal("be499wifi", (string?)diagnostics.Value["devicetypeId"]);
        Assert.Equal(("GET", "devices/lock-1"), (h.Cloud.Requests[before].Method, h.Cloud.Requests[before].Path));
        Assert.Equal(CloudFailureKind.NotFound, missing.Failure!.Kind);
    }
}
