namespace EmailInfra.Cli.LocalMode;

/// <summary>What this process's workers have handled since it started, by queue: the status line's counts.</summary>
public sealed class LocalActivity
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> handled = new(StringComparer.Ordinal);

    public void Handled(string queue) => handled.AddOrUpdate(queue, 1, (_, n) => n + 1);

    public long HandledOf(string queue) => handled.GetValueOrDefault(queue);
}
