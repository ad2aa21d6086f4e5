using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>A REST answer: status, JSON body, extra headers.</summary>
internal sealed record ApiResult(int StatusCode, byte[]? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ApiResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int statusCode = 200) =>
        new(statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static ApiResult Error(int statusCode, string message) =>
        Json(new ErrorBody(message), ApiJsonContext.Default.ErrorBody, statusCode);

    public static ApiResult NoContent { get; } = new(204, null);

    /// <summary>The stock message API Gateway and the cloud give for a status.</summary>
    public static string StockMessage(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Device is offline",
        429 => "Too Many Requests",
        500 => "Internal server error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Endpoint request timed out",
        _ => "Error",
    };
}
