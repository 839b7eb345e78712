namespace EmailInfra.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; for effects that cross real servers.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan? interval = null)
    {
        var until = DateTime.UtcNow + timeout;
        var value = await probe();
        while (!done(value) && DateTime.UtcNow < until)
        {
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250));
            value = await probe();
        }

        return value;
    }
}
