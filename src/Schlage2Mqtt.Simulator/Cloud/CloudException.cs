namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>A refusal the cloud answers with a status code and <c>{"message": ...}</c>.</summary>
internal sealed class CloudException : Exception
{
    public CloudException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public CloudException()
    {
    }

    public CloudException(string message)
        : base(message)
    {
    }

    public CloudException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int StatusCode { get; } = 500;

    public static CloudException BadRequest(string message) => new(400, message);

    public static CloudException NotFound(string message) => new(404, message);
}
