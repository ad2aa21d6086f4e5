using System.Diagnostics.CodeAnalysis;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>Either a usable bearer token or the reason there is none.</summary>
public sealed record TokenResult
{
    private TokenResult(BearerToken? token, AuthFailure? failure)
    {
        Token = token;
        Failure = failure;
    }

    /// <summary>The token, on success.</summary>
    public BearerToken? Token { get; }

    /// <summary>The failure, otherwise.</summary>
    public AuthFailure? Failure { get; }

    /// <summary>True when <see cref="Token"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Token))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Token is not null;

    /// <summary>A success.</summary>
    public static TokenResult Success(BearerToken token) => new(token ?? throw new ArgumentNullException(nameof(token)), null);

    /// <summary>A failure.</summary>
    public static TokenResult Fail(AuthFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"TokenResult {{ {Token} }}" : $"TokenResult {{ {Failure} }}";
}
