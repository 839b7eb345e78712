using System.Globalization;
using EmailInfra.Core.Domains;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Api;

/// <summary>
/// Registers mailboxes from CSV, as agencies onboard them: a header row names the columns (any order, case-insensitive), each
/// row is validated, registered and tested like a single registration, and reported on its own; a bad row stops nothing.
/// </summary>
/// <remarks>
/// Columns: address, pool, smtp_host, smtp_port, imap_host, imap_port, password (required); smtp_tls, imap_tls, username,
/// append_to_sent, force (optional). A mailbox already registered is registered again (new password, servers), as the CLI does.
/// </remarks>
public sealed class MailboxCsvImport(MailboxOnboarding onboarding)
{
    public const int MaxRows = 5000;

    private static readonly string[] Required = ["address", "pool", "smtp_host", "smtp_port", "imap_host", "imap_port", "password"];
    private static readonly string[] Known = [.. Required, "smtp_tls", "imap_tls", "username", "append_to_sent", "force"];

    public async Task<ImportReport> RunAsync(string csv, bool test, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var reader = new StringReader(csv);
        var rows = ContactListVerification.Csv.Read(reader).ToList();
        if (rows.Count == 0)
        {
            throw new InvalidRequestException("body", "the CSV is empty: a header row is required (" + string.Join(",", Required) + ")");
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = Required.Where(r => !header.Contains(r)).ToList();
        var unknown = header.Where(h => !Known.Contains(h)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            var errors = new Dictionary<string, string[]>();
            if (missing.Count > 0)
            {
                errors["header"] = ["misses the columns " + string.Join(", ", missing)];
            }

            if (unknown.Count > 0)
            {
                errors["header.unknown"] = ["has columns this import does not know: " + string.Join(", ", unknown.Select(u => u.Length > 40 ? u[..40] : u))];
            }

            throw new InvalidRequestException(errors);
        }

        if (rows.Count - 1 > MaxRows)
        {
            throw new InvalidRequestException("body", $"at most {MaxRows} rows per import");
        }

        var results = new List<ImportRow>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < rows.Count; i++)
        {
            var line = i + 1;
            var cells = header.Select((h, c) => (h, c)).ToDictionary(x => x.h, x => x.c < rows[i].Length ? rows[i][x.c].Trim() : string.Empty, StringComparer.Ordinal);
            if (cells.Values.All(v => v.Length == 0))
            {
                continue; // a blank line
            }

            var address = cells["address"];
            try
            {
                var input = Input(cells);
                var registration = MailboxEndpoints.Registration(input);
                if (!seen.Add(registration.Address))
                {
                    results.Add(new ImportRow(line, registration.Address, "invalid", "the address appears on an earlier row"));
                    continue;
                }

                var (mailbox, report) = await onboarding.RegisterAsync(registration, test, cancellationToken).ConfigureAwait(false);
                results.Add(mailbox.State == MailboxState.Paused
                    ? new ImportRow(line, mailbox.Address, "paused", mailbox.StateReason)
                    : new ImportRow(line, mailbox.Address, "registered", report is null ? "not tested" : "connection test passed"));
            }
            catch (InvalidRequestException ex)
            {
                results.Add(new ImportRow(line, address.Length > 320 ? address[..320] : address, "invalid", null, ex.Errors));
            }
            catch (PrimaryDomainException ex)
            {
                results.Add(new ImportRow(line, address, "refused", ex.Message));
            }
        }

        return new ImportReport(
            results.Count,
            results.Count(r => r.Outcome == "registered"),
            results.Count(r => r.Outcome == "paused"),
            results.Count(r => r.Outcome is "invalid" or "refused"),
            results);
    }

    private static MailboxInput Input(Dictionary<string, string> cells)
    {
        var errors = new Dictionary<string, string[]>();
        int Port(string column)
        {
            if (int.TryParse(cells[column], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            errors[column] = ["must be a port number"];
            return 0;
        }

        bool Flag(string column)
        {
            var value = cells.GetValueOrDefault(column, string.Empty).ToLowerInvariant();
            if (value is "" or "false" or "no" or "0")
            {
                return false;
            }

            if (value is "true" or "yes" or "1")
            {
                return true;
            }

            errors[column] = ["must be true or false"];
            return false;
        }

        var input = new MailboxInput(
            cells["address"],
            cells["pool"],
            new ServerInput(cells["smtp_host"], Port("smtp_port"), Empty(cells.GetValueOrDefault("smtp_tls"))),
            new ServerInput(cells["imap_host"], Port("imap_port"), Empty(cells.GetValueOrDefault("imap_tls"))),
            cells["password"],
            Empty(cells.GetValueOrDefault("username")),
            Flag("append_to_sent"),
            Flag("force"));
        return errors.Count > 0 ? throw new InvalidRequestException(errors) : input;
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
