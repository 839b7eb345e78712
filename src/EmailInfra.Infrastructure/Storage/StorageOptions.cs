using System.ComponentModel.DataAnnotations;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Where tables and queues live. Bound from the "Storage" configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The name of the connection setting, shared with the Functions triggers: either a connection string under this name,
    /// or identity-based settings <c>{name}__accountName</c> / <c>{name}__tableServiceUri</c> + <c>{name}__queueServiceUri</c>.
    /// </summary>
    public const string ConnectionName = "EmailInfraStorage";

    /// <summary>Prefix for table and queue names (lower-case letters and digits), so several installations or test runs can share one account.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,15}$|^$")]
    public string NamePrefix { get; set; } = string.Empty;
}
