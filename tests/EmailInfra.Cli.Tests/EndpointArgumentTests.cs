using EmailInfra.Cli.Commands;
using EmailInfra.Core;
using EmailInfra.Core.Mailboxes;

namespace EmailInfra.Cli.Tests;

public class EndpointArgumentTests
{
    [Theory]
    [InlineData("smtp.example.com:465", null, TlsMode.Implicit)]
    [InlineData("smtp.example.com:587", null, TlsMode.StartTls)]
    [InlineData("imap.example.com:993", null, TlsMode.Implicit)]
    [InlineData("127.0.0.1:2525", "none", TlsMode.None)]
    [InlineData("h:25", "STARTTLS", TlsMode.StartTls)]
    public void Parse_HostPortAndMode(string value, string? tls, TlsMode expected)
    {
        var endpoint = EndpointArgument.Parse("smtp", value, tls);
        Assert.Equal(expected, endpoint.Tls);
        Assert.Equal(value[..value.LastIndexOf(':')], endpoint.Host);
    }

    [Theory]
    [InlineData("nohost", null)]
    [InlineData("h:notaport", null)]
    [InlineData("h:25", "sometimes")]
    public void Parse_Bad_InvalidRequestNamingTheField(string value, string? tls)
    {
        var ex = Assert.Throws<InvalidRequestException>(() => EndpointArgument.Parse("smtp", value, tls));
        Assert.Contains(ex.Errors.Keys, k => k.StartsWith("smtp", StringComparison.Ordinal));
    }
}
