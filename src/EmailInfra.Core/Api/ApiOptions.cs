using System.ComponentModel.DataAnnotations;

namespace EmailInfra.Core.Api;

/// <summary>Settings of the "Api" section (local mode; in Azure the Functions host checks its own function keys).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The key a client sends as x-functions-key or ?code=, as with a Functions key. Required for local mode to serve the API.</summary>
    public string? Key { get; set; }

    /// <summary>Where local mode listens (loopback by default: the API can change every mailbox).</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:7071";
}
