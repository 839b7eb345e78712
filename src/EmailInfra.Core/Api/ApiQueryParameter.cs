namespace EmailInfra.Core.Api;

/// <summary>A query parameter a route reads, for its validation and the OpenAPI document.</summary>
public sealed record ApiQueryParameter(string Name, string Description, string Type = "string");
