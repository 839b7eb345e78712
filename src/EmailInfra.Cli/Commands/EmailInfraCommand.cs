using System.CommandLine;
using System.Globalization;
using System.Net;
using EmailInfra.Cli.LocalMode;
using EmailInfra.Core;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmailInfra.Cli.Commands;

/// <summary>The emailinfra command tree.</summary>
public static class EmailInfraCommand
{
    private static readonly Option<string?> ConfigOption = new("--config") { Description = "A JSON settings file (default: ./emailinfra.json when present)", Recursive = true };

    public static RootCommand Build()
    {
        var root = new RootCommand("EmailInfra: self-hosted cold-email infrastructure (local mode and operator commands).");
        root.Options.Add(ConfigOption);
        root.Subcommands.Add(Run());
        root.Subcommands.Add(Mailbox());
        root.Subcommands.Add(Send());
        root.Subcommands.Add(Outbound());
        root.Subcommands.Add(Verify());
        root.Subcommands.Add(Classify());
        root.Subcommands.Add(PlanRamp());
        root.Subcommands.Add(Poll());
        root.Subcommands.Add(Day());
        root.Subcommands.Add(Audit());
        root.Subcommands.Add(OpenApi());
        return root;
    }

    private static Command Run()
    {
        var demo = new Option<bool>("--demo")
        {
            Description = "Run the demo: the repository's loopback mail rig (started if needed; root), four demo mailboxes, two-minute warm-up days",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Every log entry, with the frameworks' (default: one line per send, bounce, placement, reply, health change and day, and a status line)" };
        var command = new Command("run", "Run the system on this machine: workers, timers, warm-up days, the admin API and the dashboard, until Ctrl+C.") { demo, verbose };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var mode = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                if (parse.GetValue(verbose))
                {
                    foreach (var (key, value) in LocalConfiguration.Verbose)
                    {
                        mode[key] = value;
                    }
                }

                if (parse.GetValue(demo))
                {
                    var rig = LocalDemo.ReadRigEnvironment(await LocalDemo.EnsureRigAsync(ct));
                    var dataDir = Path.Combine(LocalConfiguration.Build(parse.GetValue(ConfigOption))["Local:DataDir"]!, "demo");
                    foreach (var (key, value) in LocalDemo.Settings(rig, LocalDemo.Epoch(dataDir, DateTimeOffset.UtcNow), dataDir))
                    {
                        mode[key] = value;
                    }
                }

                var configuration = LocalConfiguration.Build(parse.GetValue(ConfigOption), mode);
                await using var azurite = await LocalAzurite.EnsureRunningAsync(configuration, ct);
                using var host = LocalHost.BuildRunner(configuration);
                if (azurite.Started)
                {
                    Console.Error.WriteLine($"started Azurite (data in {azurite.DataDir})");
                }

                Console.Error.WriteLine($"emailinfra: running queues {QueueNames.SendJobs}, {QueueNames.OutboundJobs}, {QueueNames.PollJobs}, {QueueNames.WebhookJobs}; poll timer '{configuration[TimerSchedules.PollSchedule]}', warm-up timer '{configuration[TimerSchedules.WarmupSchedule]}'. Ctrl+C stops.");
                if (parse.GetValue(demo))
                {
                    await host.Services.GetRequiredService<LocalDemo>().ProvisionAsync(Path.Combine(configuration["Local:DataDir"]!, "demo"), ct);
                }

                await host.RunAsync(ct);
                Console.Error.WriteLine("emailinfra: stopped");
                return 0;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or System.Security.Cryptography.CryptographicException or IOException)
            {
                // configuration problems: say what is wrong, without a stack trace
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 2;
            }
        });
        return command;
    }

    private static Command Mailbox()
    {
        var address = new Option<string>("--address") { Description = "The mailbox address", Required = true };
        var pool = new Option<string>("--pool") { Description = "Sending pool id (mailboxes sharing a server / IP pool)", Required = true };
        var smtp = new Option<string>("--smtp") { Description = "SMTP submission server, host:port", Required = true };
        var smtpTls = new Option<string?>("--smtp-tls") { Description = "implicit | starttls | none (default: implicit on 465, else starttls)" };
        var imap = new Option<string>("--imap") { Description = "IMAP server, host:port", Required = true };
        var imapTls = new Option<string?>("--imap-tls") { Description = "implicit | starttls | none (default: implicit on 993, else starttls)" };
        var username = new Option<string?>("--username") { Description = "Login name (default: the address)" };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read the password from this environment variable (default: one line from standard input)" };
        var appendToSent = new Option<bool>("--append-to-sent") { Description = "Append a copy of each sent message to the Sent folder (servers that do not keep submitted mail)" };
        var force = new Option<bool>("--force") { Description = "Register it even on a domain configured as a primary business domain (Domains:Primary)" };
        var testAfter = new Option<bool>("--test") { Description = "Test SMTP and IMAP after registering, as 'mailbox test' does; a failed test leaves the mailbox paused" };
        var add = new Command("add", "Register a mailbox; its password goes to the secret store, never to a table.")
        {
            address, pool, smtp, smtpTls, imap, imapTls, username, passwordEnv, appendToSent, force, testAfter,
        };
        add.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var password = parse.GetValue(passwordEnv) is { } env
                ? Environment.GetEnvironmentVariable(env) ?? throw new InvalidRequestException("password-env", $"{env} is not set")
                : await Console.In.ReadLineAsync(ct) ?? string.Empty;
            var (mailbox, test) = await services.GetRequiredService<MailboxOnboarding>().RegisterAsync(
                new MailboxRegistration(
                    parse.GetValue(address)!,
                    parse.GetValue(pool)!,
                    EndpointArgument.Parse("smtp", parse.GetValue(smtp)!, parse.GetValue(smtpTls)),
                    EndpointArgument.Parse("imap", parse.GetValue(imap)!, parse.GetValue(imapTls)),
                    parse.GetValue(username),
                    password,
                    parse.GetValue(appendToSent),
                    parse.GetValue(force)),
                parse.GetValue(testAfter),
                ct);
            Console.WriteLine($"registered {mailbox.Address} in pool {mailbox.PoolId} ({mailbox.State}); smtp {mailbox.Smtp}, imap {mailbox.Imap}");
            if (test is not null)
            {
                PrintTest(test);
            }

            // a domain's first mailbox: audit its DNS now, so a broken record shows before the first send
            var selectorsOfAudit = services.GetRequiredService<IOptions<Core.Domains.Authentication.AuditOptions>>().Value.Selectors.ToList();
            if (await services.GetRequiredService<Core.Domains.Authentication.DomainAuditService>().AuditNewDomainAsync(mailbox.Domain, selectorsOfAudit, ct) is { } report)
            {
                var counts = string.Join(", ", report.Findings.GroupBy(f => f.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
                Console.WriteLine($"audited {report.Domain}: {counts}; 'emailinfra audit {report.Domain}' shows each check and its fix");
            }
        }, ct));

        var list = new Command("list", "List registered mailboxes.");
        list.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var all = await services.GetRequiredService<IMailboxStore>().ListAllAsync(ct);
            Console.WriteLine($"{"ADDRESS",-32} {"POOL",-16} {"STATE",-10} SMTP / IMAP");
            foreach (var m in all.OrderBy(m => m.PoolId, StringComparer.Ordinal).ThenBy(m => m.Address, StringComparer.Ordinal))
            {
                Console.WriteLine($"{m.Address,-32} {m.PoolId,-16} {m.State,-10} {m.Smtp} / {m.Imap}{(m.StateReason is null ? string.Empty : "  (" + m.StateReason + ")")}");
            }
        }, ct));
        var testAddress = new Option<string>("--address") { Description = "The mailbox address", Required = true };
        var test = new Command("test", "Test a registered mailbox's SMTP (connect, EHLO, STARTTLS, AUTH) and IMAP (login, INBOX, Sent, Junk); exit 1 when a step fails.") { testAddress };
        test.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var normalized = EmailAddress.Normalize(parse.GetValue(testAddress)) ?? throw new InvalidRequestException("address", "is not a valid address");
            var mailbox = await services.GetRequiredService<IMailboxStore>().FindByAddressAsync(normalized, ct)
                ?? throw new InvalidRequestException("address", $"{normalized} is not a registered mailbox");
            var report = await services.GetRequiredService<MailboxOnboarding>().TestAsync(mailbox, ct);
            PrintTest(report);
            return report.Ok ? 0 : 1;
        }, ct));
        return new Command("mailbox", "Manage mailboxes.") { add, list, test };
    }

    private static void PrintTest(ConnectionTestReport report)
    {
        foreach (var step in report.Steps)
        {
            Console.WriteLine($"  {(step.Ok ? "ok  " : "FAIL")} {step.Protocol,-4} {step.Step,-8} {step.Detail}");
        }

        Console.WriteLine(report.Ok ? $"{report.Mailbox}: every step passed" : $"{report.Mailbox}: {report.Failure}");
    }

    private static Command Send()
    {
        var from = new Option<string>("--from") { Description = "Sending mailbox (registered)", Required = true };
        var to = new Option<string>("--to") { Description = "Recipient address", Required = true };
        var delay = new Option<int>("--in-seconds") { Description = "Send this many seconds from now (default: now)" };
        var command = new Command("send", "Queue one warm-up email from a mailbox to a recipient.") { from, to, delay };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var at = parse.GetValue(delay) is > 0 and var seconds ? DateTimeOffset.UtcNow.AddSeconds(seconds) : (DateTimeOffset?)null;
            var entry = await services.GetRequiredService<SendScheduler>().ScheduleAsync(
                new SendRequest(parse.GetValue(from)!, parse.GetValue(to)!, SendKind.Warmup, at), ct);
            Console.WriteLine($"queued {entry.Key.SendId}: {entry.Key.Mailbox} -> {entry.Recipient} at {entry.ScheduledAt:u}");
        }, ct));
        return command;
    }

    private static Command Outbound()
    {
        var pool = new Option<string?>("--pool") { Description = "Sending pool to rotate over (or give --mailbox)" };
        var mailbox = new Option<string?>("--mailbox") { Description = "Send from this mailbox only" };
        var to = new Option<string>("--to") { Description = "Recipient address", Required = true };
        var subject = new Option<string>("--subject") { Description = "Subject line", Required = true };
        var textFile = new Option<FileInfo>("--text-file") { Description = "Plain-text body", Required = true };
        var htmlFile = new Option<FileInfo?>("--html-file") { Description = "HTML body (default: made from the text)" };
        var unsubscribe = new Option<string?>("--unsubscribe-url") { Description = "https URL for RFC 8058 one-click unsubscribe" };
        var command = new Command("outbound", "Queue one outbound email; the pool's healthy mailbox with the most capacity left sends it.")
        {
            pool, mailbox, to, subject, textFile, htmlFile, unsubscribe,
        };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var html = parse.GetValue(htmlFile) is { } h ? await File.ReadAllTextAsync(h.FullName, ct) : null;
            var request = await services.GetRequiredService<SendScheduler>().ScheduleOutboundAsync(
                new OutboundSendRequest(
                    parse.GetValue(pool), parse.GetValue(mailbox), parse.GetValue(to)!, parse.GetValue(subject)!,
                    await File.ReadAllTextAsync(parse.GetValue(textFile)!.FullName, ct), html, parse.GetValue(unsubscribe)),
                ct);
            Console.WriteLine($"queued {request.Id} to {request.Recipient} via pool {request.PoolId}");
        }, ct));
        return command;
    }

    private static Command Verify()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV contact list with a header row; the address column is named email, e-mail or address (else the first column)" };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the invalid rows with their reasons (default: FILE.invalid.csv)" };
        var command = new Command("verify", "Check a contact list as the send path does (syntax, MX or A, null MX, suppression) without contacting any mail server.") { file, output };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var input = parse.GetValue(file)!;
            var target = parse.GetValue(output) ?? new FileInfo(Path.ChangeExtension(input.FullName, null) + ".invalid.csv");
            var summary = await ContactListVerification.RunAsync(services.GetRequiredService<RecipientCheck>(), input.FullName, target.FullName, ct);
            Console.WriteLine($"{summary.Checked} checked, {summary.Valid} valid, {summary.Invalid} invalid -> {target.FullName}");
            foreach (var (reason, count) in summary.ByReason.OrderByDescending(r => r.Value))
            {
                Console.WriteLine($"  {count,6}  {reason}");
            }
        }, ct));
        return command;
    }

    private static Command Audit()
    {
        var domain = new Argument<string>("DOMAIN") { Description = "The sending domain to audit" };
        var ips = new Option<string[]>("--ip") { Description = "A sending IP of the domain's mail (repeatable): SPF, PTR and blocklists are checked for it", AllowMultipleArgumentsPerToken = true };
        var selectors = new Option<string[]>("--selector") { Description = "A DKIM selector the domain signs with (repeatable)", AllowMultipleArgumentsPerToken = true };
        var server = new Option<string?>("--dns") { Description = "IP:PORT of the DNS server to ask (default: Dns:Servers, else the machine's resolvers)" };
        var messages = new Option<FileInfo[]>("--message") { Description = "A message the domain sent, as received (.eml, repeatable): its DKIM signature is verified", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("audit", "Audit a domain's DNS: MX, SPF (per sending IP, lookup cost), DKIM keys, DMARC, PTR/FCrDNS, MTA-STS, TLS-RPT, blocklists. Exit 1 when a check fails, 3 when one could not be checked.")
        {
            domain, ips, selectors, server, messages, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var addresses = new List<IPAddress>();
            foreach (var text in parse.GetValue(ips) ?? [])
            {
                if (!IPAddress.TryParse(text, out var ip))
                {
                    await Console.Error.WriteLineAsync($"error: --ip {text} is not an IP address");
                    return 2;
                }

                addresses.Add(ip);
            }

            var received = new List<MimeKit.MimeMessage>();
            foreach (var file in parse.GetValue(messages) ?? [])
            {
                try
                {
                    received.Add(await MimeKit.MimeMessage.LoadAsync(file.FullName, ct));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
                {
                    await Console.Error.WriteLineAsync($"error: --message {file.Name}: {ex.Message}");
                    return 2;
                }
            }

            var name = parse.GetValue(domain)!.Trim().TrimEnd('.');
            if (!Core.Domains.Authentication.SpfEvaluator.IsDomainName(name))
            {
                await Console.Error.WriteLineAsync($"error: {name} is not a domain name");
                return 2;
            }

            var configuration = LocalConfiguration.Build(parse.GetValue(ConfigOption));
            var dnsOptions = configuration.GetSection(Infrastructure.Dns.DnsOptions.Section).Get<Infrastructure.Dns.DnsOptions>() ?? new Infrastructure.Dns.DnsOptions();
            if (parse.GetValue(server) is { } dnsServer)
            {
                var colon = dnsServer.LastIndexOf(':');
                if (colon <= 0 || !IPAddress.TryParse(dnsServer[..colon], out _) || !ushort.TryParse(dnsServer[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
                {
                    await Console.Error.WriteLineAsync($"error: --dns {dnsServer} is not IP:PORT");
                    return 2;
                }

                dnsOptions.Servers.Clear();
                dnsOptions.Servers.Add(dnsServer);
            }

            var auditOptions = configuration.GetSection(Core.Domains.Authentication.AuditOptions.Section).Get<Core.Domains.Authentication.AuditOptions>() ?? new Core.Domains.Authentication.AuditOptions();
            var auditor = new Core.Domains.Authentication.DomainAuditor(new Infrastructure.Dns.DnsClientRecords(Options.Create(dnsOptions)), auditOptions, TimeProvider.System);
            var report = await auditor.AuditAsync(new Core.Domains.Authentication.AuditRequest(name, addresses, parse.GetValue(selectors) ?? [], received), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(report, AuditJson));
            }
            else
            {
                Console.WriteLine($"audit of {report.Domain} at {report.At:u}");
                foreach (var f in report.Findings)
                {
                    Console.WriteLine($"  {f.Status.ToString().ToUpperInvariant(),-7} {f.Check,-34} {f.Summary}");
                    foreach (var e in f.Evidence)
                    {
                        Console.WriteLine($"          seen: {e}");
                    }

                    if (f.Fix is not null)
                    {
                        Console.WriteLine($"          fix:  {f.Fix}");
                    }
                }
            }

            return report.Findings.Any(f => f.Status == Core.Domains.Authentication.AuditStatus.Fail) ? 1
                : report.Findings.Any(f => f.Status == Core.Domains.Authentication.AuditStatus.Unknown) ? 3 : 0;
        });
        return command;
    }

    private static readonly System.Text.Json.JsonSerializerOptions AuditJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
    };

    private static Command Classify()
    {
        var paths = new Argument<string[]>("FILE|DIR") { Description = "Message files, or folders of them", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON line per result" };
        var rulesFile = new Option<string?>("--rules") { Description = "A bounce-rules file instead of the built-in rules (default: the Polling:BounceRulesFile setting)" };
        var command = new Command("classify", "Classify messages: bounce (recipient, status, reason, hard), complaint, auto-reply, reply or other.") { paths, json, rulesFile };
        command.SetAction(parse =>
        {
            BounceRules rules;
            try
            {
                rules = BounceRules.Load(parse.GetValue(rulesFile) ?? LocalConfiguration.Build(parse.GetValue(ConfigOption))[$"{PollingOptions.Section}:{nameof(PollingOptions.BounceRulesFile)}"]);
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return 2;
            }

            var files = new List<string>();
            foreach (var path in parse.GetValue(paths)!)
            {
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path).Order(StringComparer.Ordinal));
                }
                else if (File.Exists(path))
                {
                    files.Add(path);
                }
                else
                {
                    Console.Error.WriteLine($"error: {path}: no such file or folder");
                    return 2;
                }
            }

            var asJson = parse.GetValue(json);
            if (!asJson)
            {
                Console.WriteLine($"{"FILE",-28} {"#",2} {"KIND",-9} {"RECIPIENT",-34} {"STATUS",-7} {"CODE",-4} {"REASON",-16} {"HARD",-5} FEEDBACK");
            }

            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                foreach (var row in ClassificationRow.For(Path.GetFileName(file), stream, rules))
                {
                    Console.WriteLine(asJson
                        ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
                        {
                            ["file"] = row.File, ["index"] = row.Index, ["kind"] = row.Kind, ["recipient"] = row.Recipient, ["status"] = row.Status,
                            ["replycode"] = row.ReplyCode, ["reason"] = row.Reason, ["hardbounce"] = row.HardBounce, ["feedbacktype"] = row.FeedbackType,
                        })
                        : $"{row.File,-28} {row.Index,2} {row.Kind,-9} {row.Recipient,-34} {row.Status,-7} {row.ReplyCode,-4} {row.Reason,-16} {(row.HardBounce ? "yes" : "no"),-5} {row.FeedbackType}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command PlanRamp()
    {
        var mailboxes = new Option<int>("--mailboxes") { Description = "Mailboxes in the pool", DefaultValueFactory = _ => 5 };
        var days = new Option<int>("--days") { Description = "Days to project", DefaultValueFactory = _ => 30 };
        var csv = new Option<bool>("--csv") { Description = "CSV instead of a table" };
        var command = new Command("plan", "Print the warm-up ramp a pool would follow under the current policy (Warmup:Ramp settings), every day green.") { mailboxes, days, csv };
        command.SetAction(parse =>
        {
            var configuration = LocalConfiguration.Build(parse.GetValue(ConfigOption));
            var policy = configuration.GetSection(RampPolicy.Section).Get<RampPolicy>() ?? new RampPolicy();
            try
            {
                policy.Validate();
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 2;
            }

            var (n, d) = (parse.GetValue(mailboxes), parse.GetValue(days));
            if (n is < 1 or > 100_000 || d is < 1 or > 3650)
            {
                Console.Error.WriteLine("error: --mailboxes must be 1-100000 and --days 1-3650");
                return 2;
            }

            var rows = RampProjection.Project(policy, n, d, DateOnly.FromDateTime(DateTime.UtcNow));
            if (parse.GetValue(csv))
            {
                Console.WriteLine("day,date,weekday,per_mailbox,pool_warmup,expected_replies,phase");
                foreach (var r in rows)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Day},{r.Date:yyyy-MM-dd},{r.Date.DayOfWeek},{r.VolumePerMailbox},{r.PoolWarmup},{r.ExpectedReplies},{(r.TargetReached ? "maintenance" : "ramp")}"));
                }
            }
            else
            {
                Console.WriteLine($"ramp for {n} mailboxes: start {policy.StartVolume}/day, +{policy.DailyIncrement} per green working day (held over weekends), target {policy.Target}, weekend x{policy.WeekendFactor}, replies {policy.ReplyRate:P0}, then {policy.MaintenanceVolume}/day");
                Console.WriteLine($"{"DAY",4} {"DATE",-10} {"WEEKDAY",-9} {"PER MAILBOX",11} {"POOL",7} {"REPLIES",7}  PHASE");
                foreach (var r in rows)
                {
                    Console.WriteLine($"{r.Day,4} {r.Date:yyyy-MM-dd} {r.Date.DayOfWeek,-9} {r.VolumePerMailbox,11} {r.PoolWarmup,7} {r.ExpectedReplies,7}  {(r.TargetReached ? "maintenance" : "ramp")}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command OpenApi()
    {
        var command = new Command("openapi", "Print the admin API's OpenAPI 3.1 document (the one served at /api/openapi.json and checked in as docs/openapi.json).");
        command.SetAction(parse =>
        {
            using var host = LocalHost.BuildServices(LocalConfiguration.Build(parse.GetValue(ConfigOption)));
            Console.Out.Write(Core.Api.OpenApiDocument.Write(host.Services.GetRequiredService<Core.Api.AdminApi>().Routes));
            return 0;
        });
        return command;
    }

    private static Command Poll()
    {
        var command = new Command("poll", "Queue a poll job for every active mailbox now (as the timer does).");
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var count = await services.GetRequiredService<PollFanout>().RunAsync(ct);
            Console.WriteLine($"queued {count} poll jobs");
        }, ct));
        return command;
    }

    private static Command Day()
    {
        var mailbox = new Option<string>("--mailbox") { Description = "Mailbox address", Required = true };
        var date = new Option<string?>("--date") { Description = "yyyy-MM-dd (default: today, UTC)" };
        var command = new Command("day", "Show a mailbox's sends and metrics for one day.") { mailbox, date };
        command.SetAction((parse, ct) => WithServicesAsync(parse, async services =>
        {
            var day = DateOnly.FromDateTime(DateTime.UtcNow);
            if (parse.GetValue(date) is { } d && !DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            {
                throw new InvalidRequestException("date", $"'{d}' is not a date in the form yyyy-MM-dd");
            }

            var address = EmailAddress.Normalize(parse.GetValue(mailbox)) ?? throw new InvalidRequestException("mailbox", "is not a valid address");
            var metrics = await services.GetRequiredService<IMetricsStore>().GetAsync(address, day, ct);
            Console.WriteLine($"{address} on {day:yyyy-MM-dd}");
            Console.WriteLine("  " + string.Join("  ", Enum.GetValues<MailboxMetric>().Select(m => $"{m}={metrics[m]}")));
            foreach (var e in (await services.GetRequiredService<ISendLedger>().ListDayAsync(address, day, ct)).OrderBy(e => e.ScheduledAt))
            {
                Console.WriteLine($"  {e.ScheduledAt:HH:mm:ss} {e.Kind,-11} {e.State,-9} -> {e.Recipient,-28} {e.BounceStatus ?? string.Empty,-7} {e.MessageId}");
            }
        }, ct));
        return command;
    }

    /// <summary>Runs a one-shot command with the services; what it throws becomes one line and an exit code in Program (see <see cref="CommandFailure"/>).</summary>
    private static Task<int> WithServicesAsync(ParseResult parse, Func<IServiceProvider, Task> action, CancellationToken ct) =>
        WithServicesAsync(parse, async services =>
        {
            await action(services);
            return 0;
        }, ct);

    private static async Task<int> WithServicesAsync(ParseResult parse, Func<IServiceProvider, Task<int>> action, CancellationToken ct)
    {
        var configuration = LocalConfiguration.Build(parse.GetValue(ConfigOption));
        await using var azurite = await LocalAzurite.EnsureRunningAsync(configuration, ct);
        using var host = LocalHost.BuildServices(configuration);
        return await action(host.Services);
    }
}
