using System.Security.Cryptography;
using System.Text;

namespace EmailInfra.Core.Webhooks;

/// <summary>
/// One event to tell campaign tools about. <see cref="Id"/> is derived from what the event is about (the same bounce read twice
/// is the same event), so publishing it again delivers nothing twice.
/// </summary>
public sealed record WebhookEvent(string Id, string Kind, DateTimeOffset At, IReadOnlyDictionary<string, object?> Data)
{
    /// <summary>An event whose id is the hash of its identity (kind and the facts that make it this one event).</summary>
    public static WebhookEvent For(string kind, string identity, DateTimeOffset at, IReadOnlyDictionary<string, object?> data) =>
        new("evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + "|" + identity)))[..32], kind, at, data);
}
