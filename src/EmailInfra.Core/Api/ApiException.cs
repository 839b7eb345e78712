namespace EmailInfra.Core.Api;

/// <summary>A request the API refuses with a 4xx other than a field's validation (which is <see cref="InvalidRequestException"/>): not found, conflict, too large.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string title, string detail)
        : base(detail)
    {
        Status = status;
        Title = title;
    }

    public ApiException()
        : this(400, "Bad request", "The request is not valid.")
    {
    }

    public ApiException(string message)
        : this(400, "Bad request", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Title = "Bad request";
    }

    public int Status { get; }

    public string Title { get; }

    public static ApiException NotFound(string what) => new(404, "Not found", what + " does not exist.");

    /// <summary>The If-Match version is not the stored one: the resource changed since the client read it (409, see docs/api.md).</summary>
    public static ApiException Changed(string what) =>
        new(409, "Changed since read", $"{what} changed since the version given in If-Match; read it again and retry with its ETag.");

    public static ApiException Conflict(string detail) => new(409, "Conflict", detail);
}
