namespace EmailInfra.Core.Webhooks;

/// <summary>The events a webhook endpoint can subscribe to.</summary>
public static class WebhookEventKinds
{
    /// <summary>A human reply to outbound mail.</summary>
    public const string Reply = "reply";

    /// <summary>A delivery failure (DSN or SMTP refusal read from the mailbox) linked to a send.</summary>
    public const string Bounce = "bounce";

    /// <summary>A feedback report (ARF) about a send: the recipient marked it as spam.</summary>
    public const string Complaint = "complaint";

    /// <summary>An automatic reply (out of office, RFC 3834).</summary>
    public const string AutoReply = "auto-reply";

    /// <summary>A health transition, an operator's override, a provider throttle or an audit that got worse.</summary>
    public const string Health = "health";

    /// <summary>A test delivery an operator asked for.</summary>
    public const string Ping = "ping";

    public static readonly IReadOnlyList<string> All = [Reply, Bounce, Complaint, AutoReply, Health];
}
