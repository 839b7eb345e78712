namespace EmailInfra.Core.Api;

/// <summary>What a handler answers: a status, a body serialised as JSON (or text as it is), and the headers that go with it.</summary>
public sealed record ApiResponse(int Status, object? Body)
{
    public string ContentType { get; init; } = "application/json";

    public string? ETag { get; init; }

    public string? Location { get; init; }

    /// <summary>A body already serialised (the OpenAPI document, CSV reports), written as it is.</summary>
    public string? Text { get; init; }

    public static ApiResponse Ok(object? body, string? etag = null) => new(200, body) { ETag = etag };

    public static ApiResponse Created(object body, string location, string? etag = null) => new(201, body) { Location = location, ETag = etag };

    public static ApiResponse Accepted(object body, string location) => new(202, body) { Location = location };

    public static ApiResponse NoContent() => new(204, null);

    public static ApiResponse Problem(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, problem) { ContentType = "application/problem+json" };
    }
}
