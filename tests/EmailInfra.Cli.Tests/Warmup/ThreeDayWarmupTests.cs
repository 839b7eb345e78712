using System.Globalization;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Reputation;
using EmailInfra.Core.Sending;
using EmailInfra.Core.Warmup;
using EmailInfra.Testing;

namespace EmailInfra.Cli.Tests.Warmup;

/// <summary>
/// The warm-up engine end to end in local mode: a pool of six mailboxes on three domains warms up for three consecutive days
/// (40-second days, set by configuration) in one `emailinfra run` process against Azurite, Postfix and Dovecot.
/// </summary>
public class ThreeDayWarmupTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DayLength = TimeSpan.FromSeconds(40);

    [Fact(Timeout = 360_000)]
    public async Task SixMailboxesThreeDomainsThreeDays_EveryPlannedEmailOnce_RepliesAsPlanned_RampFollowsThePolicy()
    {
        Rig.Require(RigService.Azurite, RigService.Mail, RigService.Dns);
        var network = Rig.WarmupNetwork.Skip(6).Take(6).ToList();
        var epoch = DateTimeOffset.UtcNow.AddSeconds(4);
        var warmup = new Dictionary<string, string?>
        {
            ["Warmup:DayLength"] = DayLength.ToString("c", CultureInfo.InvariantCulture),
            ["Warmup:Epoch"] = epoch.ToString("O", CultureInfo.InvariantCulture),
            ["Warmup:WindowOpens"] = "00:00:00",
            ["Warmup:WindowLength"] = "00:00:14",
            ["Warmup:SettleTime"] = "00:00:22",
            ["Warmup:MinimumGap"] = "00:00:01",
            ["Warmup:ReplyDelayMin"] = "00:00:00",
            ["Warmup:ReplyDelayMax"] = "00:00:02",
            ["Warmup:ControlCheck"] = "00:00:02",
        };
        await using var rig = new RigServices(warmup);
        foreach (var address in network)
        {
            await rig.RegisterRigMailboxAsync(address, "warm3");
        }

        var environment = warmup.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        environment["WarmupSchedule"] = "*/2 * * * * *";
        environment["PollSchedule"] = "*/2 * * * * *";
        environment["Polling__Interval"] = "00:00:02";
        var pool = (await rig.Get<IMailboxStore>().GetPoolAsync("warm3", default))!;
        var calendar = rig.Get<SendingCalendar>();
        var days = Enumerable.Range(0, 3).Select(d => calendar.DayOf(epoch + (DayLength * d) + TimeSpan.FromSeconds(1), pool)).ToList();
        var journal = rig.Get<IWarmupJournal>();

        using (var process = EmailInfraProcess.Start(CliEnvironment.For(rig, environment), null, "run"))
        {
            var finished = await Eventually.WaitAsync(
                async () => (await Task.WhenAll(network.Select(m => journal.GetAsync(m, days[2], default)))).Count(r => r?.NextVolume is not null),
                n => n == network.Count,
                (DayLength * 3) + TimeSpan.FromSeconds(60),
                TimeSpan.FromSeconds(2));
            process.Interrupt();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(finished == network.Count, $"only {finished} of {network.Count} mailboxes finished day 3\n{process.Output}");
        }

        var ledger = rig.Get<ISendLedger>();
        var policy = rig.Get<WarmupPolicies>().For("warm3", network[0]);
        var rows = new List<LedgerEntry>();
        foreach (var mailbox in network)
        {
            foreach (var day in days.Append(days[2].AddDays(1)))
            {
                rows.AddRange(await ledger.ListDayAsync(mailbox, day, default));
            }
        }

        // every planned email and every reply went out, and arrived exactly once
        Assert.All(rows, r => Assert.Equal(SendState.Sent, r.State));
        var delivered = await RigDeliveries.CountAsync(network, rows.Select(r => r.MessageId!).ToList());
        Assert.All(delivered, d => Assert.True(d.Value == 1, $"{d.Key} arrived {d.Value} times"));

        // peers answered exactly the warm-up mail the plan marked for an answer, in-thread
        var warmupRows = rows.Where(r => r.Kind == SendKind.Warmup).ToList();
        var replies = rows.Where(r => r.Kind == SendKind.WarmupReply).ToLookup(r => r.InReplyTo);
        foreach (var sent in warmupRows)
        {
            var answers = replies[sent.MessageId].ToList();
            Assert.Equal(sent.ReplyAfter is null ? 0 : 1, answers.Count);
            Assert.All(answers, a => Assert.Equal((a.Key.Mailbox, a.Recipient), (sent.Recipient, sent.Key.Mailbox)));
        }

        Assert.Equal(warmupRows.Count(r => r.ReplyAfter is not null), replies.Sum(g => g.Count()));

        // the ramp: base 2, then +2 on each green day into a working day; the planned volume is the policy's for that date; the metrics agree
        var metrics = rig.Get<IMetricsStore>();
        foreach (var mailbox in network)
        {
            var baseVolume = policy.StartVolume;
            for (var d = 0; d < 3; d++)
            {
                var record = (await journal.GetAsync(mailbox, days[d], default))!;
                var planned = warmupRows.Where(r => r.Key.Mailbox == mailbox && r.Key.Day == days[d]).ToList();
                var day = await metrics.GetAsync(mailbox, days[d], default);
                output.WriteLine($"{mailbox} {days[d]:yyyy-MM-dd} base {record.BaseVolume} planned {record.Planned} sent {record.Sent} inbox {record.PlacedInbox} replies {record.Replies} {record.Health} -> {record.NextVolume}");
                Assert.Equal(baseVolume, record.BaseVolume);
                Assert.Equal(Ramp.VolumeOn(days[d], baseVolume, 0, policy), record.Planned);
                Assert.Equal(record.Planned, planned.Count);
                Assert.Equal(DayHealth.Green, record.Health);
                Assert.Equal(Ramp.NextVolume(baseVolume, DayHealth.Green, false, policy, days[d]), record.NextVolume);
                baseVolume = record.NextVolume!.Value;
                Assert.Equal(record.Sent, record.PlacedInbox); // its warm-up mail and its answers, all placed in inboxes
                Assert.Equal(planned.Count(r => r.ReplyAfter is not null), record.Replies);
                Assert.Equal(rows.Count(r => r.Key.Mailbox == mailbox && r.Key.Day == days[d]), record.Sent);
                Assert.Equal(record.Sent, day[MailboxMetric.Sent]);
                Assert.DoesNotContain(planned, r => r.Recipient == mailbox);
            }
        }
    }
}
