using EmailInfra.Core.Secrets;

namespace EmailInfra.Core.Mailboxes;

/// <summary>
/// Registers a mailbox and tests its servers as the senders and pollers will use them. A mailbox whose test fails is kept,
/// paused with the failed step as its reason, so it sends nothing until the operator repairs it (registering again resumes it).
/// </summary>
public sealed class MailboxOnboarding(MailboxRegistry registry, IMailboxConnectionTester tester, IMailboxStore mailboxes, ISecretStore secrets)
{
    public const string TestFailedReason = "connection test failed: ";

    public async Task<(Mailbox Mailbox, ConnectionTestReport? Test)> RegisterAsync(MailboxRegistration registration, bool test, CancellationToken cancellationToken)
    {
        var mailbox = await registry.RegisterAsync(registration, cancellationToken).ConfigureAwait(false);
        if (!test)
        {
            return (mailbox, null);
        }

        var report = await tester.TestAsync(mailbox, new MailboxCredentials(mailbox.Username, registration.Password), cancellationToken).ConfigureAwait(false);
        if (!report.Ok && mailbox.IsActive)
        {
            mailbox = mailbox with { State = MailboxState.Paused, StateReason = TestFailedReason + report.Failure };
            await mailboxes.UpsertAsync(mailbox, cancellationToken).ConfigureAwait(false);
        }

        return (await mailboxes.GetAsync(mailbox.PoolId, mailbox.Address, cancellationToken).ConfigureAwait(false) ?? mailbox, report);
    }

    /// <summary>Tests a registered mailbox with its stored credentials; changes nothing.</summary>
    public async Task<ConnectionTestReport> TestAsync(Mailbox mailbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var credentials = await secrets.CredentialsForAsync(mailbox, cancellationToken).ConfigureAwait(false);
        return await tester.TestAsync(mailbox, credentials, cancellationToken).ConfigureAwait(false);
    }
}
