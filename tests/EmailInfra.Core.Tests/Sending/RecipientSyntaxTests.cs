using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests.Sending;

public class RecipientSyntaxTests
{
    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("o'brien+tag@sub.example.co.uk")]
    [InlineData("\"quoted name\"@example.com")]
    [InlineData("x@a-b.example")]
    public void SyntaxProblem_ValidAddresses_None(string address) => Assert.Null(RecipientCheck.SyntaxProblem(address));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("no-at.example.com", "not local@domain")]
    [InlineData("a..b@example.com", "dots")]
    [InlineData(".a@example.com", "dots")]
    [InlineData("a b@example.com", "invalid characters")]
    [InlineData("a@localhost", "fully qualified")]
    [InlineData("a@-bad.example.com", "label")]
    [InlineData("a@exa_mple.com", "label")]
    [InlineData("a@1.2.3.4", "numeric")]
    [InlineData("a@example.com\r\nBcc: x@y.z", "invalid")]
    public void SyntaxProblem_InvalidAddresses_SaysWhy(string address, string reason) =>
        Assert.Contains(reason, RecipientCheck.SyntaxProblem(address), StringComparison.Ordinal);

    [Fact]
    public void SyntaxProblem_LocalPartOver64_Refused() =>
        Assert.Contains("64", RecipientCheck.SyntaxProblem(new string('a', 65) + "@example.com"), StringComparison.Ordinal);
}
