using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>What an <c>access_code/*</c> request came to, before it is shaped into a response.</summary>
internal abstract record CodeRequestOutcome
{
    private CodeRequestOutcome()
    {
    }

    /// <summary>Refused before anything was stored or sent (validation, unknown code).</summary>
    public sealed record Refused(BridgeError Error) : CodeRequestOutcome;

    /// <summary>A cloud call the request needed failed while <paramref name="Doing"/>.</summary>
    public sealed record CloudFailed(CloudFailure Failure, string Doing) : CodeRequestOutcome;

    /// <summary>The request is (or already was) this operation, in its state when the answer is due.</summary>
    public sealed record Accepted(CodeOperation Operation) : CodeRequestOutcome;

    /// <summary>Only notify-on-use changed; <paramref name="Code"/> is the code as read afterwards.</summary>
    public sealed record NotifyChanged(CloudAccessCode Code, bool NotifyOnUse) : CodeRequestOutcome;

    /// <summary>A list or sync: the codes were read, or <paramref name="Failure"/> says why not.</summary>
    public sealed record Read(CloudFailure? Failure) : CodeRequestOutcome;
}
