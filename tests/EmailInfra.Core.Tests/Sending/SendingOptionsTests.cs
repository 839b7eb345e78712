using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests.Sending;

public class SendingOptionsTests
{
    [Fact]
    public void RetryDelay_Doubles_UpToTheBound()
    {
        var options = new SendingOptions { RetryBaseDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromMinutes(5) };
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(240), options.RetryDelay(4));
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetryDelay(5));
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetryDelay(60));
    }
}
