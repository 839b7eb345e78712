using System.Text.RegularExpressions;
using MimeKit;

namespace EmailInfra.Core.Inbox;

/// <summary>Decides what a received message is, from its headers first and its body only when needed.</summary>
/// <remarks>
/// Order: ARF feedback report → RFC 3464 delivery status → a non-standard bounce (from a mailer daemon, or with a
/// bounce subject, with failed recipients in its text) → an automatic reply → anything else. The patterns are data
/// (<see cref="BounceRules"/>), not code.
/// </remarks>
public static partial class MessageClassifier
{
    private const int MaxDepth = 8;
    private const int MaxScannedChars = 64 * 1024;

    // Every pattern over message text has a deadline: a message is hostile input, and a match that runs away is a reason to
    // record the message as unreadable (RegexMatchTimeoutException, see IsUnreadableMessage), never to hold the poller.
    private const int MatchTimeoutMs = 500;

    /// <summary>
    /// Whether the headers alone can't settle the verdict (reports, mail from mailer daemons, bounce or auto-reply
    /// subjects, a message that carries another one attached).
    /// </summary>
    public static bool NeedsBody(HeaderList headers, BounceRules? rules = null, bool carriesMessage = false)
    {
        ArgumentNullException.ThrowIfNull(headers);
        rules ??= BounceRules.Default;
        var contentType = headers[HeaderId.ContentType] ?? string.Empty;
        if (carriesMessage || contentType.Contains("multipart/report", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var from = headers[HeaderId.From] ?? string.Empty;
        var subject = headers[HeaderId.Subject] ?? string.Empty;
        return rules.BounceSenders.Any(r => r.IsMatch(from)) || rules.BounceSubjects.Any(r => r.IsMatch(subject))
            || IsAutoSubmitted(headers) || rules.AutoReplySubjects.Any(r => r.IsMatch(subject));
    }

    /// <summary>The verdict from headers only, for messages that don't need their body.</summary>
    public static InboundVerdict ClassifyHeaders(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Ordinary(headers);
    }

    /// <summary>
    /// Whether an exception from parsing or classifying a message means the message itself cannot be read (it is
    /// recorded as malformed and skipped), as opposed to a failure of the connection it came over. A rule that times out
    /// on a message's text is the message's doing too.
    /// </summary>
    public static bool IsUnreadableMessage(Exception ex) =>
        ex is FormatException or ParseException or ArgumentException or InvalidOperationException or RegexMatchTimeoutException;

    public static InboundVerdict Classify(MimeMessage message, BounceRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ClassifyAt(message, rules ?? BounceRules.Default, 0);
    }

    private static InboundVerdict ClassifyAt(MimeMessage message, BounceRules rules, int depth)
    {
        var parts = Flatten(message.Body).ToList();

        if (parts.OfType<MessageFeedbackReport>().FirstOrDefault() is { } feedback)
        {
            return Complaint(message, feedback, parts);
        }

        if (rules.ComplaintSubjects.Any(r => r.IsMatch(message.Subject ?? string.Empty)) && OriginalMessage(parts) is { } forwarded)
        {
            // an abuse desk forwarding the reported message, without an ARF part
            return new ComplaintVerdict("abuse", forwarded.To.Mailboxes.Select(m => m.Address.ToLowerInvariant()).ToList(), forwarded.MessageId);
        }

        // Decoded once: the notice's text is read by several steps below.
        var plain = parts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain);
        var plainText = plain?.Text;
        if (plainText is not null && AmazonSesNotification.Read(plainText, rules) is { } ses)
        {
            return ses;
        }

        if (parts.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } status)
        {
            var bounce = Bounce(status, plainText, rules, parts);
            if (bounce.Recipients.Count > 0)
            {
                return WithStatusClass(bounce, rules);
            }
        }

        var from = message.Headers[HeaderId.From] ?? string.Empty;
        var subject = message.Subject ?? string.Empty;
        // (a delivery-status report whose fields named nobody is read as text: its notice may name the recipients)
        var looksLikeBounce = rules.BounceSenders.Any(r => r.IsMatch(from)) || rules.BounceSubjects.Any(r => r.IsMatch(subject))
            || parts.OfType<MessageDeliveryStatus>().Any()
            // a carrier's notice under a plain sender and subject ("Mail"): the original comes back attached and the
            // notice's opening says it could not be delivered
            || (plainText is not null && OriginalMessage(parts) is not null && rules.BounceSubjects.Any(r => r.IsMatch(plainText.Length > 500 ? plainText[..500] : plainText)));
        if (looksLikeBounce && !rules.AutoReplySubjects.Any(r => r.IsMatch(subject)))
        {
            var (text, full) = BounceText(parts, plain, plainText);
            using var embedded = EmbeddedReport(text);
            if (embedded is not null && Bounce(embedded, text, rules, parts) is { Recipients.Count: > 0 } fromFields)
            {
                return WithStatusClass(fromFields.OriginalMessageId is null ? fromFields with { OriginalMessageId = OriginalMessageIdInText(full) } : fromFields, rules);
            }

            var recipients = Addressed(TextRecipients(text, message, rules), text, full, parts, message, rules);

            // Exim and Google name the failed recipients in a header: trust it over addresses found in the prose
            var failedHeader = string.Join(',', message.Headers.Where(h => h.Field.Equals("X-Failed-Recipients", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
            var named = AddressInText().Matches(failedHeader).Select(m => m.Value.ToLowerInvariant()).Distinct().ToList();
            if (named.Count > 0)
            {
                var whole = Unfold(text.Length > 2000 ? text[..2000] : text);
                recipients = named.Select(address => recipients.FirstOrDefault(r => r.Address == address)
                    ?? Reconsidered(
                        Recipient(address, EnhancedStatus().Match(text) is { Success: true } st ? st.Value : null, "failed", NoticeAbout(text, address) ?? whole, null, rules),
                        [whole],
                        rules,
                        alsoOnhold: false)).ToList();
            }

            // a provider's own bounce format, recognised by its headers, decides what the words could not
            foreach (var (header, pattern, reason) in rules.HeaderRules)
            {
                if (message.Headers.Where(h => h.Field.Equals(header, StringComparison.OrdinalIgnoreCase)).Any(h => pattern.IsMatch(h.Value)))
                {
                    recipients = recipients.Select(r => r.Reason is "undefined" or "onhold" ? r with { Reason = reason, IsHard = Hard(rules, reason, r.Status, r.Action) } : r).ToList();
                }
            }

            // A report whose only group names no readable recipient (a mailbox path, "@host") still says how delivery
            // failed: its status stands for the one recipient the notice names, when the words gave none.
            if (recipients is [{ Status: null } only] && parts.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } unread
                && unread.StatusGroups.Where(g => g["Final-Recipient"] is not null || g["Original-Recipient"] is not null).ToList() is [var group]
                && StatusOf(group["Status"]) is { } reported)
            {
                recipients = [only with { Status = reported, IsHard = Hard(rules, only.Reason, reported, only.Action) }];
            }

            if (recipients.Count > 0)
            {
                return WithStatusClass(new BounceVerdict(recipients, OriginalMessageId(parts) ?? OriginalMessageIdInText(full)), rules);
            }

            // A gateway that passes on the bounce it received, attached whole: the attached one names the recipients.
            if (depth < 2 && OriginalMessage(parts) is { } attached && ClassifyAt(attached, rules, depth + 1) is BounceVerdict inner)
            {
                return inner;
            }
        }

        // Bounces carry "Auto-Submitted: auto-replied" too: a bounce whose recipients could not be read is not a vacation reply.
        if (!looksLikeBounce && (IsAutoSubmitted(message.Headers) || rules.AutoReplySubjects.Any(r => r.IsMatch(subject)))
            || (!looksLikeBounce && message.Headers[HeaderId.Precedence] is { } precedence && precedence.Contains("auto", StringComparison.OrdinalIgnoreCase))
            || message.Headers["X-Autoreply"] is not null || message.Headers["X-Autorespond"] is not null)
        {
            return new AutoReplyVerdict(MessageIds.Parse(message.Headers[HeaderId.MessageId]), MessageIds.Parse(message.Headers[HeaderId.InReplyTo]));
        }

        return Ordinary(message.Headers);
    }

    private static bool IsAutoSubmitted(HeaderList headers) =>
        headers[HeaderId.AutoSubmitted] is { } value && !value.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase)
        && !(headers[HeaderId.ContentType] ?? string.Empty).Contains("report", StringComparison.OrdinalIgnoreCase);

    private static OrdinaryVerdict Ordinary(HeaderList headers)
    {
        var messageId = MessageIds.Parse(headers[HeaderId.MessageId]);
        var inReplyTo = MessageIds.Parse(headers[HeaderId.InReplyTo]);
        var references = MessageIds.ParseAll(headers[HeaderId.References]);
        return new OrdinaryVerdict(messageId, inReplyTo, references);
    }

    private static ComplaintVerdict Complaint(MimeMessage message, MessageFeedbackReport report, List<MimeEntity> parts)
    {
        var fields = report.Fields;
        var type = fields["Feedback-Type"]?.Trim().ToLowerInvariant() ?? "abuse";
        var recipients = fields.Where(h => h.Field.Equals("Original-Rcpt-To", StringComparison.OrdinalIgnoreCase) || h.Field.Equals("Removal-Recipient", StringComparison.OrdinalIgnoreCase))
            .Select(h => Address(h.Value)).Where(a => a is not null).Select(a => a!).Distinct().ToList();
        if (recipients.Count == 0 && OriginalMessage(parts) is { } original)
        {
            recipients = original.To.Mailboxes.Select(m => m.Address.ToLowerInvariant()).ToList();
        }

        return new ComplaintVerdict(type, recipients, OriginalMessageId(parts) ?? MessageIds.Parse(fields["Original-Message-ID"]));
    }

    private static BounceVerdict Bounce(MessageDeliveryStatus report, string? notice, BounceRules rules, List<MimeEntity> parts)
    {
        var recipients = new List<FailedRecipient>();
        string? perMessageMta = null;
        string? whole = null;
        // one recipient reported on (a trailing empty group does not count)
        var single = report.StatusGroups.Count(g => g["Final-Recipient"] is not null || g["Original-Recipient"] is not null) <= 1;
        for (var i = 0; i < report.StatusGroups.Count; i++)
        {
            var group = report.StatusGroups[i];
            if (i == 0 && group["Final-Recipient"] is null && group["Original-Recipient"] is null)
            {
                perMessageMta = StripType(group["Reporting-MTA"]);
                continue;
            }

            var address = Address(StripType(group["Final-Recipient"])) ?? Address(StripType(group["Original-Recipient"]));
            if (address is null)
            {
                continue;
            }

            var diagnostic = Unfold(StripType(group["Diagnostic-Code"]));
            var status = StatusOf(group["Status"]);
            var action = group["Action"]?.Trim().ToLowerInvariant();
            // When the DSN gives no diagnostic, or only the first line of a multi-line reply ("550-5.7.1 ..."), the
            // human-readable notice carries the server's words.
            var about = NoticeAbout(notice, address);
            var evidence = diagnostic is not null && MultilineReply().IsMatch(diagnostic) ? diagnostic + " " + TranscriptReplies(notice, diagnostic[..3]) : diagnostic ?? about;
            var command = SmtpCommand(diagnostic) ?? SmtpCommand(about) ?? TranscriptCommand(notice, address, single);
            var preferred = PreferredStatus(status, evidence);
            var failed = Recipient(address, preferred, action, evidence, StripType(group["Remote-MTA"]) ?? perMessageMta, rules, command, perMessageMta);
            // the kind of program that reported (RFC 3464 diagnostic type: "x-unix" is a local delivery program)
            if (TypeOf(group["Diagnostic-Code"]) is { } type && rules.ReasonForType(failed.Reason, type) is { } typed && typed != failed.Reason)
            {
                failed = failed with { Reason = typed, IsHard = Hard(rules, typed, failed.Status, failed.Action) };
            }

            // A bare code or a program's exit status says nothing: the notice's words for this recipient decide, else the
            // whole notice when the report is about this recipient alone (with several, it holds the others' causes too).
            failed = Reconsidered(failed, [about], rules, alsoOnhold: true);
            if (failed.Reason is "undefined" or "onhold" && single)
            {
                whole ??= Unfold(notice is { Length: > 2000 } ? notice[..2000] : notice);
                failed = Reconsidered(failed, [whole], rules, alsoOnhold: true);
            }

            // A generic status about the only recipient: the session transcript may carry the server's own code (it
            // names the failure more exactly; the reason stays what the words decided).
            if (preferred is null or "5.0.0" or "4.0.0" && single && TranscriptCode(notice) is { } spoken && (preferred is null || spoken[0] == preferred[0]))
            {
                failed = failed with { Status = spoken };
            }

            // "Gave up" (x.4.7) about the only recipient, and the notice's log of attempts holds one other code of the
            // same class (Exchange: "returned '441 4.4.1 ...'"): that is why it gave up.
            if (failed.Status is "4.4.7" or "5.4.7" && single && notice is not null
                && EnhancedStatus().Matches(notice).Select(m => m.Value).Where(c => c[0] == failed.Status[0] && c[2..] != "4.7").Distinct().ToList() is [var cause])
            {
                failed = failed with { Status = cause };
            }

            recipients.Add(failed);
        }

        return new BounceVerdict(recipients, OriginalMessageId(parts));
    }

    /// <summary>
    /// A multi-line reply's words as one sentence: "550-5.7.1 Messages with multiple 550-5.7.1 addresses in From:" has
    /// the continuation lines' codes removed (the first code stays), so phrases split across lines still match.
    /// </summary>
    private static string? Sentences(string? diagnostic)
    {
        if (diagnostic is null || ContinuationCode().Match(diagnostic) is not { Success: true } first)
        {
            return diagnostic;
        }

        var rest = first.Index + first.Length;
        return diagnostic[..rest] + ContinuationCode().Replace(diagnostic[rest..], string.Empty);
    }

    /// <summary>
    /// A recipient whose words decided nothing (undefined; onhold too when alsoOnhold) judged again by wider text, nearest
    /// first. A whole notice is wide: its generic sentences ("was not delivered") must not overrule a server's "on hold".
    /// </summary>
    private static FailedRecipient Reconsidered(FailedRecipient failed, IEnumerable<string?> wider, BounceRules rules, bool alsoOnhold)
    {
        foreach (var words in wider)
        {
            if (failed.Reason != "undefined" && !(alsoOnhold && failed.Reason == "onhold"))
            {
                break;
            }

            if (words is not null && words != failed.Diagnostic)
            {
                var reason = rules.AdjustForStage(rules.ReasonFor(failed.Status, words), failed.Command ?? SmtpCommand(words), failed.Status);
                if (reason is not ("undefined" or "onhold"))
                {
                    failed = failed with { Reason = reason, IsHard = Hard(rules, reason, failed.Status, failed.Action) };
                }
            }
        }

        return failed;
    }

    /// <summary>
    /// A bounce's last touches: failures without any code get RFC 3463's "other or undefined" status of the right class
    /// (permanent or temporary), a delay whose words decided nothing is "expired", and a failure whose words decided
    /// nothing is "onhold" (the server said something no rule reads), "undefined" only when it said nothing at all.
    /// </summary>
    private static BounceVerdict WithStatusClass(BounceVerdict bounce, BounceRules rules) => bounce with
    {
        Recipients = bounce.Recipients.Select(r =>
        {
            if (r.Status is null && r.Action is not ("delivered" or "relayed" or "expanded"))
            {
                var status = r.Action == "delayed" || (r.Diagnostic is not null && TemporaryWords().IsMatch(r.Diagnostic)) ? "4.0.0" : "5.0.0";
                r = r with { Status = status, IsHard = Hard(rules, r.Reason, status, r.Action) };
            }

            // a delay notice whose words named no cause: the message is waiting out its time in the queue
            if (r.Action == "delayed" && r.Reason is "undefined" or "onhold")
            {
                return r with { Reason = "expired" };
            }

            return r.Reason == "undefined" && !string.IsNullOrWhiteSpace(r.Diagnostic) ? r with { Reason = "onhold" } : r;
        }).ToList(),
    };

    /// <summary>
    /// The Status field or the code the remote server gave in the diagnostic: the server's own code wins when the field
    /// is generic (x.0.0, or 4.4.7 "gave up") or names another problem, as long as it agrees with the server's reply class.
    /// </summary>
    private static string? PreferredStatus(string? field, string? diagnostic)
    {
        // A relay that quotes the remote server's reply ('5.7.1 <x>... Access denied', <421 4.4.2 Connection timed out>)
        // wraps the server's own code in its words: that code says what happened.
        if (diagnostic is not null && QuotedServerCode().Match(diagnostic) is { Success: true } quoted)
        {
            return quoted.Groups[1].Value;
        }

        if (diagnostic is null || EnhancedStatus().Match(diagnostic) is not { Success: true } inText || inText.Value == field)
        {
            return field;
        }

        var reply = ReplyCodeOf(diagnostic);
        if (reply is not null && reply[0] != inText.Value[0])
        {
            return field ?? inText.Value;
        }

        // the server's reply and its enhanced code agree: that is what the server said, whatever class the relay chose
        return field is null or "5.0.0" or "4.0.0" or "4.4.7" or "5.4.7" || field[0] == inText.Value[0] || reply?[0] == inText.Value[0] ? inText.Value : field;
    }

    private static FailedRecipient Recipient(string address, string? status, string? action, string? diagnostic, string? remoteMta, BounceRules rules, string? command = null, string? reportingMta = null)
    {
        command ??= SmtpCommand(diagnostic) ?? (EchoesRecipient(diagnostic, address) ? "RCPT" : null);
        var replyCode = ReplyCodeOf(diagnostic);
        if (status is null && replyCode is not null)
        {
            status = $"{replyCode[0]}.0.0";
        }

        if (string.Equals(action, "delivered", StringComparison.Ordinal) || string.Equals(action, "relayed", StringComparison.Ordinal) || string.Equals(action, "expanded", StringComparison.Ordinal))
        {
            status ??= "2.0.0";
        }

        // a delay without a code, or a report whose own action says the message expired (SendGrid's "Action: expired")
        var expired = (string.Equals(action, "delayed", StringComparison.Ordinal) && status is null) || string.Equals(action, "expired", StringComparison.Ordinal);
        var domain = address[(address.LastIndexOf('@') + 1)..];
        // a provider's own table says what its replies mean, whatever the same words mean elsewhere
        var sentences = Sentences(diagnostic);
        var byProvider = expired ? null : rules.ProviderReason(sentences, status, command, HostsOf(domain, remoteMta, reportingMta, diagnostic));
        var reason = expired ? "expired" : byProvider ?? rules.ReasonFor(status, sentences);
        if (!expired && byProvider is null)
        {
            // a known reply's stage is looked up only when the stage would change the reason
            command ??= rules.StageSensitive(reason) ? rules.StageHintFor(diagnostic, domain, remoteMta) : null;
            reason = rules.AdjustForStage(reason, command, status);
        }

        // a network error with a temporary status on a final failure means the queue gave up retrying: it expired (a name
        // that failed to resolve stays a network error: DNS answered, or did not, every time it was asked). A temporary
        // refusal the words do not explain stays on hold: some senders report the first 4xx as final without retrying.
        if (string.Equals(action, "failed", StringComparison.Ordinal) && status is "4.0.0" or "4.4.1" or "4.4.7"
            && reason == "networkerror" && (diagnostic is null || !DnsWords().IsMatch(diagnostic)))
        {
            reason = "expired";
        }

        // a name that failed to resolve with a temporary code is DNS that did not answer, not a domain that does not exist
        if (reason == "hostunknown" && status is ['4', ..])
        {
            reason = "networkerror";
        }

        return new FailedRecipient(address, status, action, diagnostic, remoteMta)
        {
            ReplyCode = replyCode,
            Command = command,
            Reason = reason,
            IsHard = Hard(rules, reason, status, action),
        };
    }

    /// <summary>
    /// The hosts a failure involved: the recipient's domain, the remote MTA and the reporting MTA (each the name before
    /// any address in brackets), and the hosts the diagnostic names ("host mx.example.org[192.0.2.1] said").
    /// </summary>
    internal static IEnumerable<string?> HostsOf(string domain, string? remoteMta, string? reportingMta, string? diagnostic)
    {
        yield return domain;
        yield return HostName(remoteMta);
        yield return HostName(reportingMta);
        if (diagnostic is not null)
        {
            foreach (Match m in HostInDiagnostic().Matches(diagnostic))
            {
                yield return m.Groups[1].Value;
            }
        }

        static string? HostName(string? mta)
        {
            var name = mta?.Trim();
            var end = name?.IndexOfAny(HostNameEnd) ?? -1;
            return end < 0 ? name : name![..end];
        }
    }

    /// <summary>Whether a failure is hard: a hard reason (or one hard when permanent, with a 5xx status), never a delay or a temporary failure, whatever its words.</summary>
    private static bool Hard(BounceRules rules, string reason, string? status, string? action) =>
        rules.IsHard(reason, status) && action != "delayed" && status is not ['4', ..];

    /// <summary>
    /// When the addresses a notice names come without a server's code and none of them is an envelope recipient of the
    /// original message ("for &lt;...&gt;" in its Received lines; its To may be a list), the envelope recipients the
    /// notice does name are the failed ones.
    /// </summary>
    private static List<FailedRecipient> Addressed(List<FailedRecipient> found, string notice, string full, List<MimeEntity> parts, MimeMessage message, BounceRules rules)
    {
        if (found.Count == 0 || found.Any(r => r.Status is not null || r.ReplyCode is not null))
        {
            return found;
        }

        var addressed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in ReceivedFor().Matches(full))
        {
            addressed.Add(Bare(m.Groups[1].Value));
        }

        foreach (var original in parts.OfType<MessagePart>().Select(p => p.Message).OfType<MimeMessage>())
        {
            foreach (var received in original.Headers.Where(h => h.Id == HeaderId.Received))
            {
                foreach (Match m in ReceivedFor().Matches("Received: " + received.Value))
                {
                    addressed.Add(Bare(m.Groups[1].Value));
                }
            }
        }

        addressed.ExceptWith(message.To.Mailboxes.Concat(message.From.Mailboxes).Select(a => a.Address.ToLowerInvariant()));
        if (addressed.Count == 0 || found.Any(r => addressed.Contains(r.Address)))
        {
            return found;
        }

        var named = addressed.Where(a => notice.Contains(a, StringComparison.OrdinalIgnoreCase)).ToList();
        return named.Count == 0 ? found : named.Select(a => Reconsidered(Recipient(a, null, "failed", NoticeAbout(notice, a), null, rules), [Unfold(notice)], rules, alsoOnhold: false)).ToList();
    }

    /// <summary>Failed recipients of a free-text bounce (qmail, Exim, Sendmail, Exchange, providers): addresses in the notice with the server's words near them.</summary>
    private static List<FailedRecipient> TextRecipients(string text, MimeMessage message, BounceRules rules)
    {
        // The bounce's own addressee is usually the original sender, named in the notice too: skip it, unless it is the only address there is.
        // A postmaster address is usually the bounce's signature, and a quoted "To: list@..." header names the original's
        // addressees, but either can be the recipient that failed: tried last.
        var found = TextRecipients(text, message, rules, excludeAddressee: true, allowPostmaster: false, skipHeaderLines: true);
        found = found.Count > 0 ? found : TextRecipients(text, message, rules, excludeAddressee: false, allowPostmaster: false, skipHeaderLines: true);
        return found.Count > 0 ? found : TextRecipients(text, message, rules, excludeAddressee: false, allowPostmaster: true, skipHeaderLines: false);
    }

    private static List<FailedRecipient> TextRecipients(string text, MimeMessage message, BounceRules rules, bool excludeAddressee, bool allowPostmaster, bool skipHeaderLines)
    {
        var listing = false; // the first recipient stood alone on its line: later lone addresses are the same list
        var own = new HashSet<string>((excludeAddressee ? message.To.Mailboxes : []).Concat(message.From.Mailboxes).Select(m => m.Address.ToLowerInvariant()), StringComparer.Ordinal);
        var lines = text.Split('\n');
        var found = new List<FailedRecipient>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            // most lines name no address: not worth the line tests below
            if (!lines[i].Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (IdLine().IsMatch(lines[i]) || ContactLine().IsMatch(lines[i]) || (i > 0 && ContactEnd().IsMatch(lines[i - 1])) || (skipHeaderLines && QuotedHeaderLine().IsMatch(lines[i])))
            {
                continue; // a Message-ID looks like an address; "please contact <postmaster@...>" names no recipient
            }

            foreach (Match match in AddressInText().Matches(lines[i]))
            {
                var address = Bare(match.Value);
                if (own.Contains(address) || seen.Contains(address) || IsDaemon(address, allowPostmaster))
                {
                    continue;
                }

                // the server's words: this line and the next few, until a blank line, another address or another host's
                // part of a Sendmail transcript
                var window = string.Join(' ', lines.Skip(i).Take(6).TakeWhile((l, k) => k == 0 || (l.Trim().Length > 0 && !NamesAnotherAddress(l, address) && !SendmailHostLine().IsMatch(l))).Select(l => l.Trim()));
                // Sendmail's "554 <x>... Remote protocol error": the server's reply just above it in the transcript says why
                var command = SmtpCommand(window);
                if (RemoteProtocolError().IsMatch(lines[i]) && ReplyAbove(lines, i) is ({ } reply, var asked))
                {
                    window = reply;
                    command = asked;
                }

                var status = PreferredStatus(null, window);
                // after the first, an address counts only with a server's code or words that name a cause next to it
                var alone = LoneAddress().IsMatch(lines[i]);
                if (status is null && ReplyCode().Match(window) is { Success: false } && found.Count > 0 && rules.ReasonFor(null, window) is "undefined" or "onhold" && !(listing && alone))
                {
                    continue;
                }

                listing = found.Count == 0 ? alone : listing;

                seen.Add(address);
                found.Add(Recipient(address, status, "failed", window.Length > 1000 ? window[..1000] : window, null, rules, command ?? TranscriptCommand(text, address, false)));
            }
        }

        // An address with no words of its own gets those of the whole notice.
        var noticeStatus = PreferredStatus(null, text);
        string? whole = null;
        // So does the only one named, when its own words carry no code (DragonFly puts the server's reply a paragraph
        // below): the notice's code always, its words only when they decide something.
        for (var k = 0; k < found.Count; k++)
        {
            var r = found[k];
            if (r.Status is null && r.ReplyCode is null && (r.Reason == "undefined" || (found.Count == 1 && noticeStatus is not null)))
            {
                var wider = Recipient(r.Address, noticeStatus, r.Action, whole ??= Unfold(text.Length > 2000 ? text[..2000] : text), null, rules, r.Command);
                found[k] = r.Reason == "undefined" || wider.Reason is not ("undefined" or "onhold") ? wider
                    : r with { Status = wider.Status, ReplyCode = wider.ReplyCode, IsHard = Hard(rules, r.Reason, wider.Status, r.Action) };
            }
        }

        // As in a report: a lone recipient's generic status takes the session transcript's code, when of the same class.
        if (found.Count == 1 && found[0].Status is "5.0.0" or "4.0.0" && TranscriptCode(text) is { } spoken && spoken[0] == found[0].Status![0])
        {
            found[0] = found[0] with { Status = spoken };
        }

        return found;
    }

    /// <summary>
    /// The SMTP stage a refusal answered, as the bounce's words put it: Postfix "(in reply to end of DATA command)" and
    /// "refused to talk to me", Exim "after RCPT TO:", "after end of data", "after initial connection", and the like.
    /// </summary>
    private static string? SmtpCommand(string? text)
    {
        if (string.IsNullOrEmpty(text) || StageWords().Match(text) is not { Success: true } match)
        {
            return null;
        }

        var words = match.Value.ToUpperInvariant();
        return words.Contains("DATA", StringComparison.Ordinal) || words.Contains("END OF", StringComparison.Ordinal) ? "DATA"
            : words.Contains("RCPT", StringComparison.Ordinal) || words.Contains("RECIPIENT", StringComparison.Ordinal) ? "RCPT"
            : words.Contains("MAIL", StringComparison.Ordinal) ? "MAIL"
            : words.Contains("HELO", StringComparison.Ordinal) || words.Contains("EHLO", StringComparison.Ordinal) ? "HELO"
            : "CONN";
    }

    /// <summary>
    /// A reply that echoes the recipient's address right after its code ("550 &lt;x@y&gt;: User unknown") answered RCPT TO:
    /// that is where servers name the recipient they refuse. (Sendmail's "x@y... No such user" echo is not taken: filtering
    /// gateways answer after DATA in that form too.)
    /// </summary>
    private static bool EchoesRecipient(string? diagnostic, string address)
    {
        if (diagnostic is null)
        {
            return false;
        }

        for (var at = diagnostic.IndexOf(address, StringComparison.OrdinalIgnoreCase); at >= 0; at = diagnostic.IndexOf(address, at + address.Length, StringComparison.OrdinalIgnoreCase))
        {
            var after = diagnostic.AsSpan(at + address.Length);
            after = after.StartsWith(">") ? after[1..] : after;
            if (!after.StartsWith(":"))
            {
                continue;
            }

            var before = diagnostic.AsSpan(0, at).TrimEnd('<').TrimEnd();
            before = before.EndsWith(":") ? before[..^1].TrimEnd() : before;
            var status = EnhancedStatus().Match(diagnostic, Math.Max(0, before.Length - 12), Math.Min(before.Length, 12));
            before = status.Success && status.Index + status.Length == before.Length ? before[..status.Index].TrimEnd() : before;
            if (before.Length >= 3 && before[^3] is '4' or '5' && char.IsAsciiDigit(before[^2]) && char.IsAsciiDigit(before[^1])
                && (before.Length == 3 || !char.IsAsciiLetterOrDigit(before[^4])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sendmail-style transcripts ("&gt;&gt;&gt; DATA" then "&lt;&lt;&lt; 550 ..."): the command the first refusal answered. Read only
    /// when the transcript names the address, or when the bounce is about one recipient.
    /// </summary>
    private static string? TranscriptCommand(string? text, string address, bool single)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains(">>> ", StringComparison.Ordinal))
        {
            return null;
        }

        string? last = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.StartsWith(">>> ", StringComparison.Ordinal))
            {
                last = line[4..];
            }
            else if (last is not null && TranscriptRefusal().IsMatch(line) && (single || line.Contains(address, StringComparison.OrdinalIgnoreCase) || last.Contains(address, StringComparison.OrdinalIgnoreCase)))
            {
                // With pipelining the RCPT answers arrive after ">>> DATA": sendmail's "<address>... text" echo marks one,
                // and so does the server's later complaint that no recipient was accepted.
                var pipelinedRcpt = SendmailRecipientEcho().IsMatch(line) || PostfixRecipientEcho().IsMatch(line)
                    || (last.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) && lines.Skip(n + 1).Any(l => NoRecipientAccepted().IsMatch(l)));
                return pipelinedRcpt ? "RCPT" : StageOf(last);
            }
        }

        return null;
    }

    /// <summary>
    /// The server's reply ("&lt;&lt;&lt; " lines) right above line <paramref name="at"/> of a Sendmail transcript, and the
    /// stage of the command (">>> ") it answered; null when the line above is no reply.
    /// </summary>
    private static (string Reply, string? Command)? ReplyAbove(string[] lines, int at)
    {
        var replies = new List<string>();
        var n = at - 1;
        for (; n >= 0 && lines[n].TrimStart().StartsWith("<<< ", StringComparison.Ordinal); n--)
        {
            replies.Insert(0, lines[n].Trim()[4..]);
        }

        if (replies.Count == 0)
        {
            return null;
        }

        var asked = n >= 0 && lines[n].TrimStart().StartsWith(">>> ", StringComparison.Ordinal) ? lines[n].Trim()[4..] : null;
        return (string.Join(' ', replies), asked is null ? null : StageOf(asked));
    }

    /// <summary>The stage of a command as a transcript shows it (">>> MAIL From:&lt;x&gt;", ">>> RCPT To:&lt;x&gt;", ">>> DATA").</summary>
    private static string? StageOf(string command) =>
        SmtpCommand("after " + command) ?? (command.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) ? "RCPT" : null);

    private static bool NamesAnotherAddress(string line, string address) =>
        AddressInText().Matches(line).Select(m => Bare(m.Value)).Any(other => !other.Equals(address, StringComparison.OrdinalIgnoreCase) && !IsDaemon(other, allowPostmaster: false));

    private static readonly char[] HostNameEnd = [' ', '[', '(', ';'];

    private static readonly char[] AddressPunctuation = ['<', '>', '"', '\'', '.', ':', ';', ','];

    /// <summary>An address as found in prose: brackets and punctuation around it, and Exchange's "SMTP=" in front, removed.</summary>
    private static string Bare(string found)
    {
        var address = found.Trim(AddressPunctuation).ToLowerInvariant();
        return address.StartsWith("smtp=", StringComparison.Ordinal) ? address[5..] : address;
    }

    /// <summary>The server's reply lines with one code in a Sendmail transcript ("&lt;&lt;&lt; 550-5.7.1 ..."), joined: a multi-line reply whole.</summary>
    private static string TranscriptReplies(string? notice, string code) =>
        notice is null ? string.Empty : string.Join(' ', notice.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("<<< " + code, StringComparison.Ordinal)).Select(l => l[4..]));

    /// <summary>The first enhanced code a server gave in the notice's session transcript ("554 5.3.0 ..." or "&lt;&lt;&lt; 550 5.1.1 ..."), if any.</summary>
    private static string? TranscriptCode(string? notice)
    {
        var transcript = notice?.IndexOf("Transcript of session follows", StringComparison.OrdinalIgnoreCase) ?? -1;
        return transcript >= 0 && TranscriptReplyCode().Match(notice!, transcript) is { Success: true } code ? code.Groups[1].Value : null;
    }

    private static bool IsDaemon(string address, bool allowPostmaster) =>
        address.StartsWith("mailer-daemon@", StringComparison.Ordinal) || (!allowPostmaster && address.StartsWith("postmaster@", StringComparison.Ordinal));

    /// <summary>
    /// Delivery-status fields that arrived as text (a report whose MIME boundaries broke, a bounce quoted inline in another
    /// notice), read as the report they are: from the first Reporting-MTA or recipient field to the first line that is
    /// neither a field, its continuation nor a blank line. Null when they name no recipient.
    /// </summary>
    private static MessageDeliveryStatus? EmbeddedReport(string text)
    {
        if (EmbeddedReportStart().Match(text) is not { Success: true } start)
        {
            return null;
        }

        var fields = new List<string>();
        foreach (var line in text[start.Index..].Split('\n'))
        {
            if (line.StartsWith("--", StringComparison.Ordinal) || !(string.IsNullOrWhiteSpace(line) || FieldLine().IsMatch(line) || char.IsWhiteSpace(line[0])))
            {
                break;
            }

            fields.Add(line.TrimEnd('\r'));
        }

        if (!fields.Any(l => RecipientField().IsMatch(l)))
        {
            return null;
        }

        return new MessageDeliveryStatus { Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\r\n", fields) + "\r\n"))) };
    }

    /// <summary>The notice part of a bounce (without the returned original message), and the whole text.</summary>
    private static (string Notice, string Full) BounceText(List<MimeEntity> parts, TextPart? plain, string? plainText)
    {
        // A report whose boundary never appears (broken MIME) keeps all its text in the preamble.
        var full = parts.OfType<TextPart>().Where(p => p.IsPlain || p.IsHtml).Select(p => p.IsHtml ? System.Net.WebUtility.HtmlDecode(WithoutTags(p.Text ?? string.Empty)) : (ReferenceEquals(p, plain) ? plainText : p.Text) ?? string.Empty).FirstOrDefault()
            ?? parts.OfType<Multipart>().Select(m => m.Preamble).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p)) ?? string.Empty;
        full = full.Replace("\r\n", "\n", StringComparison.Ordinal);
        full = full.Length > MaxScannedChars ? full[..MaxScannedChars] : full;
        var cut = OriginalMarker().Match(full);
        return (cut.Success ? full[..cut.Index] : full, full);
    }

    private static string? NoticeAbout(string? notice, string address)
    {
        if (notice is null)
        {
            return null;
        }

        // The first mention outside a quoted "To: ..." of the original (which says nothing about the failure) and not a
        // bare listing line (Sendmail lists the address, then its transcript says what happened to it), else the first.
        var at = notice.IndexOf(address, StringComparison.OrdinalIgnoreCase);
        var listed = -1;
        for (var next = at; next >= 0; next = notice.IndexOf(address, next + address.Length, StringComparison.OrdinalIgnoreCase))
        {
            var lineStart = notice.LastIndexOf('\n', next) + 1;
            var lineEnd = notice.IndexOf('\n', next);
            if (QuotedHeaderLine().IsMatch(notice.AsSpan(lineStart, next - lineStart)))
            {
                continue;
            }

            if (LoneAddress().IsMatch(notice.AsSpan(lineStart, (lineEnd < 0 ? notice.Length : lineEnd) - lineStart)))
            {
                listed = listed < 0 ? next : listed;
                continue;
            }

            at = next;
            listed = -1;
            break;
        }

        at = listed >= 0 ? listed : at;

        if (at < 0)
        {
            return null;
        }

        var end = notice.IndexOf("\n\n", at, StringComparison.Ordinal);
        var excerpt = notice[at..(end < 0 ? Math.Min(notice.Length, at + 600) : Math.Min(end, at + 600))];

        // the words about this address end where a line names another one
        var lines = excerpt.Split('\n');
        var own = lines.Skip(1).TakeWhile(l => !NamesAnotherAddress(l, address)).Count() + 1;
        return Unfold(string.Join('\n', lines.Take(own)));
    }

    private static IEnumerable<MimeEntity> Flatten(MimeEntity? body)
    {
        // Depth-limited: hostile mail can nest multiparts thousands deep.
        var stack = new Stack<(MimeEntity Entity, int Depth)>();
        if (body is not null)
        {
            stack.Push((body, 0));
        }

        while (stack.Count > 0)
        {
            var (entity, depth) = stack.Pop();
            yield return entity;
            if (entity is Multipart multipart && depth < MaxDepth)
            {
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    stack.Push((multipart[i], depth + 1));
                }
            }
        }
    }

    private static MimeMessage? OriginalMessage(List<MimeEntity> parts) =>
        parts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);

    private static string? OriginalMessageId(List<MimeEntity> parts)
    {
        foreach (var part in parts)
        {
            if (part is MessagePart { Message: { } original } && original.MessageId is { Length: > 0 } id)
            {
                return id;
            }

            if (part is TextPart text && text.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Text + "\r\n\r\n"));
                var headers = HeaderList.Load(stream);
                if (MessageIds.Parse(headers[HeaderId.MessageId]) is { } fromHeaders)
                {
                    return fromHeaders;
                }
            }
        }

        return null;
    }

    private static string? OriginalMessageIdInText(string text) =>
        MessageIdLine().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The first enhanced status code (RFC 3463) in a text, if any.</summary>
    internal static string? StatusOf(string? value) =>
        value is null ? null : EnhancedStatus().Match(value) is { Success: true } m ? m.Value : null;

    private static string? Address(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var match = AddressInText().Match(value);
        return match.Success ? match.Value.Trim('<', '>').ToLowerInvariant() : null;
    }

    /// <summary>The SMTP reply code in a server's words ("550"), if any.</summary>
    internal static string? ReplyCodeOf(string? text) =>
        text is not null && ReplyCode().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A DSN field's value without its type ("smtp; 550 ..." → "550 ...").</summary>
    /// <summary>The type before a DSN field's value ("smtp", "x-unix", …), lower case; null when there is none.</summary>
    private static string? TypeOf(string? value)
    {
        var semicolon = value?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        return semicolon is > 0 and < 12 ? value![..semicolon].Trim().ToLowerInvariant() : null;
    }

    internal static string? StripType(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 && semicolon < 12 ? value[(semicolon + 1)..] : value).Trim();
    }

    /// <summary>Line breaks and runs of whitespace to single spaces, trimmed (one pass: it runs over whole notices).</summary>
    private static string? Unfold(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = new System.Text.StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\t' or ' ')
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex EnhancedStatus();

    [GeneratedRegex(@"(?m)^\s*(?:<<< )?[45]\d\d[ -]([45]\.\d{1,3}\.\d{1,3})\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex TranscriptReplyCode();

    [GeneratedRegex(@"['<]\s*(?:[245]\d\d[ -])?([245]\.\d{1,3}\.\d{1,3})\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex QuotedServerCode();

    [GeneratedRegex(@"(?i)\b(delayed|will be retried|try again later|temporar(y|ily)|deferred|retry timeout exceeded|have been failing for a long time)\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex TemporaryWords();

    [GeneratedRegex(@"(?:^|[\s(:;])([245]\d\d)(?:[\s\-,]|$)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex ReplyCode();

    [GeneratedRegex(@"[A-Za-z0-9._%+'=\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex AddressInText();

    [GeneratedRegex(@"(?im)^(-+ ?(this is a copy|original message|below this line|the header of the original|returned message|unsent message)|content-type: message/rfc822|------ (this is|original)|message headers follow|original message headers)", RegexOptions.None, 200)]
    private static partial Regex OriginalMarker();

    [GeneratedRegex(@"(?i)(in reply to (end of )?(DATA|RCPT TO|MAIL FROM|EHLO|HELO|RSET|QUIT)|after (end of data|DATA|RCPT( TO| command)|MAIL( FROM| command)|EHLO|HELO|initial connection|pipelined (MAIL FROM|RCPT TO|DATA))|refused to talk to me|did not like our (RCPT TO|MAIL FROM|DATA|EHLO|HELO)|\[(RCPT_TO|MAIL_FROM|DATA)\]|does not like recipient|RCPT TO:?<|RCPT TO: [^\s<>]+@|SMTP:RCPT)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex StageWords();

    [GeneratedRegex(@"(?i)\bdns\b|name service|\blookup\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex DnsWords();

    [GeneratedRegex(@"^<<< [45]\d\d[ -](\d\.\d{1,3}\.\d{1,3} )?<[^<>\s]+@[^<>\s]+>:", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex PostfixRecipientEcho();

    [GeneratedRegex(@"(?i)(no valid recipients|rcpt commands were rejected|need rcpt|rcpt first|must precede data)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex NoRecipientAccepted();

    [GeneratedRegex(@"<[^<>\s]+@[^<>\s]+>\.\.\.", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex SendmailRecipientEcho();

    [GeneratedRegex(@"^<<< [45]\d\d", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex TranscriptRefusal();

    [GeneratedRegex(@"(?i)^\s*(to|cc|bcc|from|reply-to|sender|return-path|delivered-to|list-[a-z]+|x-[a-z-]+)\s*:", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex QuotedHeaderLine();

    [GeneratedRegex(@"^\s*<?[^\s<>]+@[^\s<>]+>?:?\s*$", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex LoneAddress();

    [GeneratedRegex(@"(?im)^>?\s*received:[^\n]*?\bfor <([^<>\s]+@[^<>\s]+)>", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex ReceivedFor();

    [GeneratedRegex(@"\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\s+|\b[245]\d\d-", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex ContinuationCode();

    [GeneratedRegex(@"(?i)(please contact|contact|write to|send (mail|a message) to)\s*$", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex ContactEnd();

    [GeneratedRegex(@"^\d{3}-\d", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex MultilineReply();

    [GeneratedRegex(@"(?i)(please contact|for further assistance|for assistance|contact your (system|mail) administrator)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex ContactLine();

    [GeneratedRegex(@"(?i)^\s*(message-id|in-reply-to|references)\s*:", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"(?im)^message-id:\s*<([^>]+)>", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex MessageIdLine();

    [GeneratedRegex(@"(?i)\b(?:host|while talking to|server)[: ]\s*([a-z0-9-]+(?:\.[a-z0-9-]+)+)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex HostInDiagnostic();

    [GeneratedRegex(@"(?i)^\s*(while talking to\b|[45]\d\d [^\s<>@]+ \([a-z]+\)\.\.\.)", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex SendmailHostLine();

    [GeneratedRegex(@"(?i)\.\.\. remote protocol error\s*$", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex RemoteProtocolError();

    [GeneratedRegex(@"(?im)^(reporting-mta|original-recipient|final-recipient):[ \t]*\S", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex EmbeddedReportStart();

    [GeneratedRegex(@"(?i)^(original|final)-recipient:[ \t]*\S", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex RecipientField();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]*:", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex FieldLine();

    /// <summary>
    /// The text of an HTML part with its tags replaced by spaces, in one linear pass over at most a few times the scanned
    /// length (a pattern like "&lt;[^&gt;]+&gt;" rescans the rest of the text from every unclosed "&lt;": quadratic on hostile HTML).
    /// </summary>
    private static string WithoutTags(string html)
    {
        var input = html.Length > 4 * MaxScannedChars ? html.AsSpan(0, 4 * MaxScannedChars) : html.AsSpan();
        var text = new System.Text.StringBuilder(Math.Min(input.Length, MaxScannedChars));
        var i = 0;
        while (i < input.Length && text.Length < MaxScannedChars)
        {
            var open = input[i..].IndexOf('<');
            if (open < 0)
            {
                text.Append(input[i..]);
                break;
            }

            text.Append(input.Slice(i, open));
            var close = input[(i + open)..].IndexOf('>');
            if (close < 0)
            {
                // an unclosed tag runs to the end, as a browser would take it
                break;
            }

            text.Append(' ');
            i += open + close + 1;
        }

        return text.ToString();
    }
}
