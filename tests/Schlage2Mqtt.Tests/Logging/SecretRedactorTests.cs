using Schlage2Mqtt.Logging;

namespace Schlage2Mqtt.Tests.Logging;

public sealed class SecretRedactorTests
{
    private readonly SecretRedactor _redactor = new();

    [Fact]
    public void Registered_secrets_are_masked_wherever_they_appear()
    {
        _redactor.Add("hunter2hunter2");
        Assert.Equal("login as bob with *** failed (***)", _redactor.Redact("login as bob with hunter2hunter2 failed (hunter2hunter2)"));
    }

    [Fact]
    public void A_longer_secret_containing_a_shorter_one_is_masked_whole()
    {
        _redactor.Add("abcd");
        _redactor.Add("abcdefgh");
        Assert.Equal("x *** y", _redactor.Redact("x abcdefgh y"));
    }

    [Fact]
    public void Very_short_values_are_not_registered()
    {
        _redactor.Add("ab");
        Assert.Equal("tab ab", _redactor.Redact("tab ab"));
    }

    [Theory]
    [InlineData("token eyJraWQiOiJhYmMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl expired", "token *** expired")]
    [InlineData("refresh eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVy.dGFn done", "refresh *** done")]
    [InlineData("Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer ***")]
    [InlineData("{\"password\":\"s3cr3t!\",\"user\":\"bob\"}", "{\"password\":\"***\",\"user\":\"bob\"}")]
    [InlineData("password=s3cr3t&user=bob", "password=***&user=bob")]
    [InlineData("X-Api-Key: hnuu9jbbJr7MssFDWm5n", "X-Api-Key: ***")]
    [InlineData("{\"RefreshToken\": \"opaque-refresh\"}", "{\"RefreshToken\": \"***\"}")]
    [InlineData("{\"code\":\"12345678\",\"name\":\"Guest\"}", "{\"code\":\"***\",\"name\":\"Guest\"}")]
    [InlineData("{\"accessCode\": 4321}", "{\"accessCode\": ***}")]
    [InlineData("pin=1234", "pin=***")]
    [InlineData("wss://x-ats.iot.us-west-2.amazonaws.com/mqtt?X-Amz-Credential=AKIA%2F&X-Amz-Signature=deadbeef", "wss://x-ats.iot.us-west-2.amazonaws.com/mqtt?X-Amz-Credential=***&X-Amz-Signature=***")]
    public void Secret_shaped_text_is_masked(string input, string expected) => Assert.Equal(expected, _redactor.Redact(input));

    [Theory]
    [InlineData("{\"code\":\"duplicate_code\",\"message\":\"PIN already used\"}")]
    [InlineData("polled 3 locks in 120 ms")]
    [InlineData("lock front_door state LOCKED at 2026-11-22T10:00:00Z")]
    public void Ordinary_text_is_left_alone(string input) => Assert.Equal(input, _redactor.Redact(input));
}
