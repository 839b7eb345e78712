using System.Text;
using EmailInfra.Core.Inbox;
using EmailInfra.Core.Jobs;
using EmailInfra.Core.Mailboxes;
using EmailInfra.Core.Secrets;
using EmailInfra.Functions.Queues;
using EmailInfra.Infrastructure.Mail;
using EmailInfra.Testing;
using MailKit;

namespace EmailInfra.Functions.Tests;

/// <summary>A poll that finds nothing new costs one IMAP command after login (LIST-STATUS), not a SELECT per folder.</summary>
public class IdlePollTests
{
    [Fact(Timeout = 60_000)]
    public async Task IdlePoll_OneCommandAfterLogin()
    {
        Rig.Require(RigService.Azurite, RigService.Mail);
        await using var rig = new RigServices();
        var mailbox = await rig.RegisterRigMailboxAsync("m19@alpha.test");
        var poll = new PollMailboxFunction(rig.Get<PollHandler>());
        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", mailbox.Address)), default); // first sync

        var reader = (MailKitMailboxReader)rig.Get<IMailboxReader>();
        var counter = new CommandCounter();
        reader.ProtocolLog = () => counter;

        // a bare session: connect, login, logout
        await (await reader.OpenAsync(mailbox, await rig.Get<ISecretStore>().CredentialsForAsync(mailbox, default), default)).DisposeAsync();
        var bare = counter.Take();

        await poll.PollMailbox(JobSerializer.Serialize(PollJob.For("rig", mailbox.Address)), default);
        var idle = counter.Take();
        Assert.True(idle.Count == bare.Count + 1, $"bare session: {string.Join(" | ", bare)}\nidle poll: {string.Join(" | ", idle)}");
        Assert.Contains(idle, c => c.Contains("STATUS", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(idle, c => c.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Records the tagged commands a client sends (the verb and first argument only: no credentials kept).</summary>
    private sealed class CommandCounter : IProtocolLogger
    {
        private readonly List<string> commands = [];

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public List<string> Take()
        {
            lock (commands)
            {
                var copy = commands.ToList();
                commands.Clear();
                return copy;
            }
        }

        public void LogConnect(Uri uri)
        {
        }

        public void LogClient(byte[] buffer, int offset, int count)
        {
            foreach (var line in Encoding.ASCII.GetString(buffer, offset, count).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                var words = line.Split(' ');
                if (words.Length >= 2 && words[0].Length > 1 && words[0].Skip(1).All(char.IsAsciiDigit) && char.IsAsciiLetter(words[0][0]))
                {
                    lock (commands)
                    {
                        commands.Add(words[1] + (words.Length > 3 && words[1] == "LIST" ? " " + string.Join(' ', words.Skip(4)) : string.Empty));
                    }
                }
            }
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
        }

        public void Dispose()
        {
        }
    }
}
