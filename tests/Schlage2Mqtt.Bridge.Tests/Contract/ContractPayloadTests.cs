using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Contract;

// Each payload record against the JSON the bridge published before the records existed (built by hand then).
public sealed class ContractPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_is_utc_with_an_offset_and_fractions_only_when_there_are_any()
    {
        Assert.Equal("2026-11-22T10:00:00+00:00", ContractTime.Format(At));
        Assert.Equal("2026-11-22T10:00:00.25+00:00", ContractTime.Format(At.AddMilliseconds(250)));
        Assert.Equal("2026-11-22T10:00:00+00:00", ContractTime.Format(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.FromHours(1))));
        Assert.Null(ContractTime.Format((DateTimeOffset?)null));
    }

    [Fact]
    public void Contract_times_read_back_as_the_same_instant()
    {
        var time = At.AddTicks(1234567);
        Assert.Equal(time, DateTimeOffset.Parse(ContractTime.Format(time), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_lock_state_time_is_written_as_system_text_json_wrote_it()
    {
        // last_update went out through System.Text.Json's own DateTimeOffset writer; the contract converter must match it.
        foreach (var time in new[] { At, At.AddMilliseconds(123), At.AddTicks(1) })
        {
            Assert.Equal(JsonSerializer.Serialize(time), JsonSerializer.Serialize(time, ContractJson.Default.DateTimeOffset));
        }
    }

    [Fact]
    public void A_log_activity_event_has_the_readme_fields_and_its_event_code()
    {
        var json = JsonSerializer.Serialize(new ActivityEvent("unlocked", "keypad", null, "Alice", At) { EventCode = 2 }, ContractJson.Default.ActivityEvent);
        Assert.Equal("""{"event_type":"unlocked","method":"keypad","user":null,"access_code":"Alice","time":"2026-11-22T10:00:00+00:00","event_code":2}""", json);
    }

    [Fact]
    public void An_access_code_activity_event_has_the_readme_fields_its_operation_and_its_error()
    {
        var failed = new ActivityEvent(ActivityEventTypes.CodeFailed, "bridge", null, "Guest", At) { OperationId = "op1", Error = "no_ack" };
        Assert.Equal("""{"event_type":"code_failed","method":"bridge","user":null,"access_code":"Guest","time":"2026-11-22T10:00:00+00:00","operation_id":"op1","error":"no_ack"}""",
            JsonSerializer.Serialize(failed, ContractJson.Default.ActivityEvent));
        var added = failed with { EventType = ActivityEventTypes.CodeAdded, Error = null };
        Assert.Equal("""{"event_type":"code_added","method":"bridge","user":null,"access_code":"Guest","time":"2026-11-22T10:00:00+00:00","operation_id":"op1"}""",
            JsonSerializer.Serialize(added, ContractJson.Default.ActivityEvent));
    }

    [Fact]
    public void Every_activity_event_type_is_one_the_home_assistant_event_entity_lists()
    {
        Assert.Contains(ActivityEventTypes.CodeAdded, ActivityEventTypes.All);
        Assert.Contains(ActivityEventTypes.CodeUpdated, ActivityEventTypes.All);
        Assert.Contains(ActivityEventTypes.CodeRemoved, ActivityEventTypes.All);
        Assert.Contains(ActivityEventTypes.CodeFailed, ActivityEventTypes.All);
        Assert.Equal(ActivityEventTypes.All.Count, ActivityEventTypes.All.Distinct().Count());
    }

    [Fact]
    public void A_success_envelope_has_status_and_data_and_a_transaction_only_when_given()
    {
        var data = new JsonObject { ["lock"] = "front_door" };
        Assert.Equal("""{"status":"ok","data":{"lock":"front_door"}}""", JsonSerializer.Serialize(ResponseEnvelope.Of(data, null), ContractJson.Default.ResponseEnvelope));
        Assert.Equal("""{"status":"ok","data":null,"transaction":7}""", JsonSerializer.Serialize(ResponseEnvelope.Of(null, null, JsonValue.Create(7)), ContractJson.Default.ResponseEnvelope));
    }

    [Fact]
    public void A_failure_envelope_carries_the_error_after_the_data()
    {
        var error = new BridgeError("timeout", "Too slow.", "Wait.");
        Assert.Equal("""{"status":"error","data":null,"error":{"code":"timeout","message":"Too slow.","hint":"Wait."},"transaction":{"a":1}}""",
            JsonSerializer.Serialize(ResponseEnvelope.Failure(error, new JsonObject { ["a"] = 1 }), ContractJson.Default.ResponseEnvelope));
        Assert.Equal("""{"status":"error","data":{"x":1},"error":{"code":"timeout","message":"Too slow.","hint":"Wait."}}""",
            JsonSerializer.Serialize(ResponseEnvelope.Of(new JsonObject { ["x"] = 1 }, error), ContractJson.Default.ResponseEnvelope));
    }

    [Fact]
    public void Bridge_info_keeps_its_keys_and_order()
    {
        var info = new BridgeInfoPayload("1.2.0", "s2m", "full",
            [new AccountSummary("home", "schlage", "ok", null, "connected", null, 1)],
            "connected",
            [new LockSummary("front_door", "dev-1", "Front Door", "Encode Plus", "home")],
            new JsonObject { ["poll_interval"] = "60s" });
        Assert.Equal(
            """{"version":"1.2.0","base_topic":"s2m","retained_command_guard":"full","accounts":[{"name":"home","provider":"schlage","auth":"ok","auth_message":null,"push":"connected","push_detail":null,"locks":1}],"push_summary":"connected","locks":[{"topic_id":"front_door","device_id":"dev-1","name":"Front Door","model":"Encode Plus","account":"home"}],"config":{"poll_interval":"60s"}}""",
            JsonSerializer.Serialize(info, ContractJson.Default.BridgeInfoPayload));
    }

    [Fact]
    public void Health_keeps_its_keys_and_order()
    {
        var health = new HealthPayload(false, ["The MQTT broker is not connected."], 42,
            new MqttHealth(false, 1, 2, 3, 4, 5, 6),
            [new CloudHealth("home", "ok", null, 10, 1, 0, 12.5, 40, false, 3, At, true, null)],
            new BridgeHealth(1, 2, 3, 4, 5, 6),
            new ProcessHealth(70_000_000, 12_000_000, 20_000_000, false));
        Assert.Equal(
            """{"healthy":false,"problems":["The MQTT broker is not connected."],"uptime_s":42,"mqtt":{"connected":false,"messages_received":1,"messages_published":2,"reconnects":3,"dropped":4,"refused":5,"queued":6},"cloud":[{"account":"home","auth":"ok","auth_message":null,"calls":10,"errors":1,"throttled":0,"avg_latency_ms":12.5,"max_latency_ms":40,"circuit_open":false,"polls":3,"last_poll":"2026-11-22T10:00:00+00:00","last_poll_ok":true,"last_error":null}],"bridge":{"locks":1,"commands":2,"requests":3,"retained_dropped":4,"rejected":5,"publish_failures":6},"process":{"rss_bytes":70000000,"gc_heap_bytes":12000000,"gc_committed_bytes":20000000,"gc_server":false}}""",
            JsonSerializer.Serialize(health, ContractJson.Default.HealthPayload));
        // A health_check that asked for a full collection says whether it ran.
        Assert.EndsWith("""
            "gc_server":false,"full_gc":"rate_limited"}}
            """, JsonSerializer.Serialize(health with { Process = health.Process with { FullGc = "rate_limited" } }, ContractJson.Default.HealthPayload), StringComparison.Ordinal);
    }

    [Fact]
    public void The_access_codes_document_keeps_its_keys_and_a_code_names_its_lock_only_in_answers()
    {
        var code = new AccessCodeView("c1", "Guest", "****", "Guest", new JsonObject { ["type"] = "Always" }, false, false, "set", null, "op1");
        var document = new AccessCodesDocument("front_door", [code], 0, At);
        Assert.Equal(
            """{"lock":"front_door","codes":[{"id":"c1","name":"Guest","code":"****","accessor_type":"Guest","schedule":{"type":"Always"},"notify_on_use":false,"disabled":false,"status":"set","error":null,"operation_id":"op1"}],"pending":0,"read_at":"2026-11-22T10:00:00+00:00"}""",
            JsonSerializer.Serialize(document, ContractJson.Default.AccessCodesDocument));
        Assert.Equal(
            """{"id":null,"name":"Guest","code":"****","accessor_type":null,"schedule":null,"notify_on_use":null,"disabled":null,"status":"failed","error":{"code":"no_ack","message":"Nack","hint":"Move closer."},"operation_id":"op2","lock":"front_door"}""",
            JsonSerializer.Serialize(new AccessCodeView(null, "Guest", "****", null, null, null, null, "failed", new BridgeError("no_ack", "Nack", "Move closer."), "op2") { Lock = "front_door" },
                ContractJson.Default.AccessCodeView));
        Assert.Contains("\"read_at\":null", JsonSerializer.Serialize(document with { ReadAt = null }, ContractJson.Default.AccessCodesDocument), StringComparison.Ordinal);
    }

    [Fact]
    public void The_lock_state_of_a_lock_that_can_do_everything_is_written_with_every_field()
    {
        var state = new LockStatePayload(LockStateNames.Locked, 87, false, BatteryStateNames.Ok, true, DoorStateNames.Closed, true, true, 30, null,
            "keypad: Alice", "BE499WB CEN 619", "10.00.00264464", -42, At);
        Assert.Equal(
            """{"state":"LOCKED","battery":87,"battery_low":false,"battery_state":"ok","connected":true,"door":"closed","beeper":true,"lock_and_leave":true,"auto_lock_time":30,"keypad_disabled":null,"last_changed_by":"keypad: Alice","model":"BE499WB CEN 619","firmware":"10.00.00264464","wifi_rssi":-42,"last_update":"2026-11-22T10:00:00+00:00"}""",
            System.Text.Encoding.UTF8.GetString(LockStateJson.ToUtf8(state)));
        Assert.Equal(JsonSerializer.Serialize(state, ContractJson.Default.LockStatePayload), System.Text.Encoding.UTF8.GetString(LockStateJson.ToUtf8(state)));
    }

    [Fact]
    public void The_lock_state_leaves_out_the_fields_of_what_the_lock_cannot_do_and_keeps_unreported_ones_as_null()
    {
        var state = new LockStatePayload(LockStateNames.Unknown, null, null, null, false, null, null, null, null, null, null, null, null, null, null)
        {
            Features = LockFeatures.LockUnlock | LockFeatures.Keypad,
        };
        var json = JsonNode.Parse(LockStateJson.ToUtf8(state))!.AsObject();
        Assert.False(json.ContainsKey("beeper"));
        Assert.False(json.ContainsKey("lock_and_leave"));
        Assert.False(json.ContainsKey("auto_lock_time"));
        Assert.False(json.ContainsKey("door"));
        Assert.True(json.ContainsKey("keypad_disabled"));
        Assert.True(json.ContainsKey("battery"));
        Assert.Equal("UNKNOWN", json["state"]!.GetValue<string>());
    }

    [Fact]
    public void The_state_is_always_written_even_for_a_lock_that_cannot_be_locked_remotely()
    {
        var state = new LockStatePayload(LockStateNames.Locked, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
        {
            Features = LockFeatures.None,
        };
        var json = JsonNode.Parse(LockStateJson.ToUtf8(state))!.AsObject();
        Assert.Equal("LOCKED", json["state"]!.GetValue<string>());
        Assert.Equal(["state", "battery", "battery_low", "battery_state", "connected", "last_changed_by", "model", "firmware", "wifi_rssi", "last_update"], json.Select(p => p.Key));
    }
}
