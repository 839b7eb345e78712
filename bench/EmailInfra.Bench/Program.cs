using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Sending;
using EmailInfra.Infrastructure.Mail;
using Microsoft.Extensions.Options;

// Emails per second through EmailInfra's send path (MimeKit composition + MailKit submission) into Postfix's smtp-sink,
// against Postfix's own smtp-source into the same sink, same message size, in the same run: with a new connection per
// message and with one reused connection. Figures are ratios to the baseline measured here, since machines are noisy.
// "classify [CORPORA]" instead measures the message classifier against ../shared/corpora; "dkim [CORPORA]" the DKIM verifier.
if (args.Length > 0 && args[0] == "dkim")
{
    return DkimBench.Run(args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "corpora"));
}

if (args.Length > 0 && args[0] == "classify")
{
    return ClassifierBench.Run(args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "corpora"));
}

var messages = Arg("--messages", 4000);
var size = Arg("--size", 4096);
var port = Arg("--port", 2599);

using var sink = StartSink(port);
try
{
    await WaitForPortAsync(port);
    var results = new List<(string Name, double PerSecond)>();
    var sourceNew = await SmtpSourceAsync(port, messages, size, reuse: false);
    var sourceReuse = await SmtpSourceAsync(port, messages, size, reuse: true);
    results.Add(("smtp-source, new connection per message", sourceNew));
    results.Add(("smtp-source, one connection (-d)", sourceReuse));

    await SendPathAsync(port, 300, size, reuse: true); // JIT and pools warm
    var oursNew = await SendPathAsync(port, messages, size, reuse: false);
    var oursReuse = await SendPathAsync(port, messages, size, reuse: true);
    results.Add(("EmailInfra send path, new connection per message", oursNew));
    results.Add(("EmailInfra send path, reused connection", oursReuse));

    Console.WriteLine($"SMTP throughput into smtp-sink on 127.0.0.1:{port}, {messages} messages of {size} bytes, one session");
    Console.WriteLine($"{"path",-52} {"msg/s",10}");
    foreach (var (name, perSecond) in results)
    {
        Console.WriteLine($"{name,-52} {perSecond,10:F0}");
    }

    Console.WriteLine($"ratio, new connection:   {oursNew / sourceNew:F2} x smtp-source");
    Console.WriteLine($"ratio, reused connection: {oursReuse / sourceReuse:F2} x smtp-source -d (goal >= 0.50)");
    Console.WriteLine($"reuse speed-up of the send path: {oursReuse / oursNew:F2} x");
    return 0;
}
finally
{
    sink.Kill(entireProcessTree: true);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static Process StartSink(int port)
{
    // -a: announce no AUTH (the sink would answer AUTH with 250); -u: it refuses to run as root; 256: listen backlog
    var start = new ProcessStartInfo("smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "-a", "-u", "nobody", $"127.0.0.1:{port}", "256" })
    {
        start.ArgumentList.Add(a);
    }

    return Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start (is postfix installed?)");
}

static async Task WaitForPortAsync(int port)
{
    for (var i = 0; i < 100; i++)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(50);
        }
    }

    throw new InvalidOperationException($"smtp-sink is not listening on {port}");
}

static async Task<double> SmtpSourceAsync(int port, int messages, int size, bool reuse)
{
    var start = new ProcessStartInfo("smtp-source") { RedirectStandardOutput = true, RedirectStandardError = true };
    var arguments = new List<string> { "-s", "1", "-m", messages.ToString(CultureInfo.InvariantCulture), "-l", size.ToString(CultureInfo.InvariantCulture), "-f", "bench@alpha.test", "-t", "sink@beta.test" };
    if (reuse)
    {
        arguments.Insert(0, "-d");
    }

    arguments.Add($"127.0.0.1:{port}");
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    var watch = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    await process.WaitForExitAsync();
    watch.Stop();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException("smtp-source failed: " + await process.StandardError.ReadToEndAsync());
    }

    return messages / watch.Elapsed.TotalSeconds;
}

static async Task<double> SendPathAsync(int port, int messages, int size, bool reuse)
{
    var transport = new MailTransportOptions { ReuseConnections = reuse, MaxMessagesPerConnection = int.MaxValue };
    transport.PlaintextAllowedHosts.Add("127.0.0.1");
    using var sender = new MailKitMailSender(new MailConnection(Options.Create(transport)), Options.Create(transport), TimeProvider.System);
    var mailbox = new Mailbox(
        "bench@alpha.test", "bench", new MailServerEndpoint("127.0.0.1", port, TlsMode.None), new MailServerEndpoint("127.0.0.1", 1, TlsMode.None),
        "bench@alpha.test", "unused", MailboxState.Healthy, DateTimeOffset.UnixEpoch);
    var credentials = new MailboxCredentials("bench@alpha.test", "unused");

    // a body that brings the composed message (headers, text and HTML parts) to about the requested size
    var body = new string('x', Math.Max(100, (size - 1400) / 2)).Chunk(70).Select(c => new string(c)).Aggregate((a, b) => a + "\r\n" + b);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < messages; i++)
    {
        var entry = new LedgerEntry
        {
            Key = new LedgerKey(mailbox.Address, DateOnly.FromDateTime(DateTime.UtcNow), "bench-" + i.ToString(CultureInfo.InvariantCulture)),
            PoolId = "bench",
            Kind = SendKind.Outbound,
            Recipient = "sink@beta.test",
            Subject = "Benchmark message",
            ScheduledAt = DateTimeOffset.UtcNow,
            MessageId = MessageComposer.NewMessageId(mailbox.Address),
            Content = new OutboundContent(body, null, null),
        };
        var outcome = await sender.SendAsync(mailbox, credentials, MessageComposer.Compose(entry, mailbox, DateTimeOffset.UtcNow), CancellationToken.None);
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException($"send {i} failed: {outcome.Kind} {outcome.Reply}");
        }
    }

    watch.Stop();
    return messages / watch.Elapsed.TotalSeconds;
}
