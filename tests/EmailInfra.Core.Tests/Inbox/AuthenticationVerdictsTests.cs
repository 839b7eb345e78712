using EmailInfra.Core.Inbox;
using MimeKit;

namespace EmailInfra.Core.Tests.Inbox;

public class AuthenticationVerdictsTests
{
    private static HeaderList Headers(string text) =>
        HeaderList.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\n")));

    [Fact]
    public void From_GmailStyleHeader_ReadsAllThree()
    {
        var auth = AuthenticationVerdicts.From(Headers(
            "Authentication-Results: mx.google.com;\n       dkim=pass header.i=@alpha.test header.s=rig;\n       spf=softfail (google.com: domain of transitioning a@alpha.test) smtp.mailfrom=a@alpha.test;\n       dmarc=fail (p=REJECT sp=REJECT dis=REJECT) header.from=alpha.test\nSubject: x"));
        Assert.Equal(new AuthenticationVerdicts("softfail", "pass", "fail"), auth);
    }

    [Fact]
    public void From_SeveralHeaders_TrustsTheTopmost()
    {
        var auth = AuthenticationVerdicts.From(Headers(
            "Authentication-Results: receiver.example; spf=pass smtp.mailfrom=alpha.test\nAuthentication-Results: forged.example; spf=fail; dkim=fail; dmarc=fail\nSubject: x"));
        Assert.Equal(new AuthenticationVerdicts("pass", null, null), auth);
    }

    [Fact]
    public void From_NoHeader_Null() => Assert.Null(AuthenticationVerdicts.From(Headers("Subject: x")));
}
