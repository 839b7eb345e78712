using Azure.Data.Tables;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Connection signals (partition = mailbox, row = protocol).</summary>
public sealed class TableConnectionStates(StorageClients storage) : IConnectionStates
{
    public async Task<MailboxConnection?> GetAsync(string mailbox, MailProtocol protocol, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.ConnectionStates, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(mailbox), protocol.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var r = row.Value!;
        return new MailboxConnection(
            mailbox,
            protocol,
            Enum.TryParse<ConnectionStatus>(r.GetString("Status"), out var status) ? status : ConnectionStatus.Ok,
            r.GetDateTimeOffset("Since") ?? default,
            r.GetDateTimeOffset("CheckedAt") ?? default,
            r.GetInt32("Failures") ?? 0,
            r.GetString("LastError"));
    }

    public async Task SaveAsync(MailboxConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var table = await storage.TableAsync(TableNames.ConnectionStates, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(
            new TableEntity(TableKey.Escape(connection.Mailbox), connection.Protocol.ToString())
            {
                ["Mailbox"] = connection.Mailbox,
                ["Status"] = connection.Status.ToString(),
                ["Since"] = connection.Since,
                ["CheckedAt"] = connection.CheckedAt,
                ["Failures"] = connection.Failures,

                // a server's error text is bounded: a property holds at most 32 K characters
                ["LastError"] = connection.LastError is { Length: > 1000 } e ? e[..1000] : connection.LastError,
            },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }
}
