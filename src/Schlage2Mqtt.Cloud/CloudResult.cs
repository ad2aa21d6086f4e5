using System.Diagnostics.CodeAnalysis;

namespace Schlage2Mqtt.Cloud;

/// <summary>
/// Outcome of a cloud operation: success, a typed failure, or (for writes) outcome unknown.
/// Expected failures are values, not exceptions.
/// </summary>
public record CloudResult
{
    /// <summary>Creates a result; null <paramref name="failure"/> means success.</summary>
    protected CloudResult(CloudFailure? failure) => Failure = failure;

    /// <summary>The failure; null on success.</summary>
    public CloudFailure? Failure { get; }

    /// <summary>True on success.</summary>
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Failure is null;

    /// <summary>True when a write may or may not have been applied: read the state to find out.</summary>
    public bool IsOutcomeUnknown => Failure?.Kind == CloudFailureKind.OutcomeUnknown;

    /// <summary>A success without a value.</summary>
    public static CloudResult Ok() => new((CloudFailure?)null);

    /// <summary>A failure.</summary>
    public static CloudResult Fail(CloudFailure failure) => new(failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>A success with a value.</summary>
    public static CloudResult<T> Ok<T>(T value) => new(value, null);

    /// <summary>A failure of an operation that would have produced a <typeparamref name="T"/>.</summary>
    public static CloudResult<T> Fail<T>(CloudFailure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));

    /// <summary>The same failure for another value type.</summary>
    public CloudResult<T> As<T>() => Failure is null
        ? throw new InvalidOperationException("A success has no failure to carry over.")
        : new CloudResult<T>(default, Failure);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? "Success" : Failure.ToString();
}

/// <summary>A <see cref="CloudResult"/> with a value on success.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed record CloudResult<T> : CloudResult
{
    internal CloudResult(T? value, CloudFailure? failure)
        : base(failure) => Value = value;

    /// <summary>The value; meaningful only on success.</summary>
    public T? Value { get; }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success({Value})" : Failure.ToString();
}
