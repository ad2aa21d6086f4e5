using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Bridge.Tests.Runtime;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Hostile;

/// <summary>
/// Hostile payloads through the real router, dispatcher and handlers (issue 19.1): every one is answered with a
/// specific error, none with <c>internal_error</c>, and no PIN in a request ever comes back on MQTT or in a log line.
/// </summary>
public sealed class HostileInputTests
{
    private const string ReplyPrefix = "s2m-test/reply/";

    private static async Task<BridgeHarness> Started()
    {
        var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        return h;
    }

    /// <summary>Sends each case with its own Response Topic, so commands answer too; returns each case's answer.</summary>
    private static async Task<List<(HostilePayload Case, JsonNode? Answer)>> SendAll(BridgeHarness h, List<HostilePayload> cases)
    {
        var start = h.Mqtt.Published.Count;
        for (var i = 0; i < cases.Count; i++)
        {
            await h.Mqtt.MessageReceived!(new MqttMessage("s2m/" + cases[i].Suffix, cases[i].Payload, MqttQualityOfService.AtLeastOnce)
            {
                ResponseTopic = ReplyPrefix + i,
            }, CancellationToken.None);
        }
        Dictionary<string, string> Answers() => h.Mqtt.Published.Skip(start)
            .Where(m => m.Topic.StartsWith(ReplyPrefix, StringComparison.Ordinal))
            .GroupBy(m => m.Topic).ToDictionary(g => g.Key, g => g.First().PayloadAsString());
        try
        {
            await h.AdvanceUntil(() => Answers().Count >= cases.Count, TimeSpan.FromMilliseconds(500), maxSteps: 400, what: "every hostile case answered");
        }
        catch (TimeoutException)
        {
            var answered = Answers();
            Assert.Fail("unanswered:\n" + string.Join("\n", cases.Where((_, i) => !answered.ContainsKey(ReplyPrefix + i)).Take(20)
                .Select(c => c + ": " + Encoding.UTF8.GetString(c.Payload[..Math.Min(c.Payload.Length, 300)]))));
        }
        var answers = Answers();
        return cases.Select((c, i) => (c, answers.TryGetValue(ReplyPrefix + i, out var a) ? JsonNode.Parse(a) : null)).ToList();
    }

    private static void AssertNoneFailedUnexpectedly(BridgeHarness h, List<(HostilePayload Case, JsonNode? Answer)> results)
    {
        var internalErrors = results.Where(r => r.Answer?["error"]?["code"]?.GetValue<string>() == "internal_error").Select(r => r.Case.ToString()).ToList();
        Assert.True(internalErrors.Count == 0, "internal_error for:\n" + string.Join("\n", internalErrors.Take(30)));
        var pins = results.SelectMany(r => r.Case.Pins).Distinct().ToList();
        var texts = h.Mqtt.Published.Select(m => m.Topic + " " + Encoding.UTF8.GetString(m.Payload.Span))
            .Concat(h.Logs.Entries.Select(e => e.FullText)).ToList();
        var echoed = pins.Where(pin => texts.Any(t => t.Contains(pin, StringComparison.Ordinal))).ToList();
        Assert.True(echoed.Count == 0, "PIN echoed: " + string.Join(", ", echoed) + "\n"
            + string.Join("\n", texts.Where(t => echoed.Any(p => t.Contains(p, StringComparison.Ordinal))).Take(5)));
    }

    [Fact]
    public async Task Every_case_of_the_hostile_table_gets_a_specific_error_and_no_pin_is_echoed()
    {
        await using var h = await Started();
        var cases = HostilePayloads.Table("front_door").ToList();

        var results = await SendAll(h, cases);

        AssertNoneFailedUnexpectedly(h, results);
        Assert.Equal(0, h.Account.Calls("set_locked"));
        var unexpectedOk = results.Where(r => r.Answer?["status"]?.GetValue<string>() == "ok"
            && !(r.Case.Suffix is "bridge/request/health_check" or "bridge/request/locks" or "bridge/request/refresh")).Select(r => r.Case.ToString()).ToList();
        Assert.True(unexpectedOk.Count == 0, "accepted: " + string.Join("\n", unexpectedOk.Take(20)));
    }

    [Fact]
    public async Task Random_mutations_of_requests_and_commands_never_answer_internal_error()
    {
        await using var h = await Started();
        var cases = Gen.Sample(HostilePayloads.Random("front_door"), 400).ToList();

        var results = await SendAll(h, cases);

        AssertNoneFailedUnexpectedly(h, results);
        Assert.Equal(0, h.Account.Calls("set_locked"));
    }

    [Theory]
    [InlineData("bridge/request/lock", """{"lock":"\u0000"}""")]
    [InlineData("bridge/request/access_code/add", """{"lock":"\u0000"}""")]
    [InlineData("bridge/request/access_code/update", """{"lock":"front_door","name":"Guest","code":"12\u00073"}""")]
    public async Task The_reported_internal_errors_get_specific_codes(string suffix, string payload)
    {
        await using var h = await Started();
        var results = await SendAll(h, [new HostilePayload(suffix, Encoding.UTF8.GetBytes(payload), payload, [])]);

        var code = results.Single().Answer!["error"]!["code"]!.GetValue<string>();
        Assert.NotEqual("internal_error", code);
    }
}
