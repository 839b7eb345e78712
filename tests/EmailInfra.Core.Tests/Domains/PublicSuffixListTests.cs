using EmailInfra.Core.Domains;

namespace EmailInfra.Core.Tests.Domains;

/// <summary>Organisational domains from the shipped Public Suffix List: plain, multi-label, wildcard, exception, private and IDN rules.</summary>
public class PublicSuffixListTests
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk")] // a public suffix is its own organisational domain
    [InlineData("b.example.uk.com", "example.uk.com")] // private-section rule
    [InlineData("x.y.kawasaki.jp", "x.y.kawasaki.jp")] // *.kawasaki.jp: y.kawasaki.jp is a suffix
    [InlineData("a.city.kawasaki.jp", "city.kawasaki.jp")] // !city.kawasaki.jp: an exception to the wildcard
    [InlineData("Mail.Shop.Example.COM.", "example.com")]
    [InlineData("cold.alpha.test", "alpha.test")] // not in the list: the "*" rule makes the last label the suffix
    [InlineData("shop.xn--fiqs8s", "shop.xn--fiqs8s")]
    [InlineData("www.shop.中国", "shop.xn--fiqs8s")] // IDN compared in punycode
    public void OrganisationalDomain(string name, string expected) =>
        Assert.Equal(expected, PublicSuffixList.Default.OrganisationalDomain(name));

    [Fact]
    public void ShippedList_IsTheWholeList()
    {
        Assert.True(PublicSuffixList.Default.Count > 9000, $"{PublicSuffixList.Default.Count} rules");
        Assert.Equal("github.io", PublicSuffixList.Default.PublicSuffix("someone.github.io"));
    }

    [Fact]
    public void AFileWithoutRules_IsRefused()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "// only a comment\n");
        try
        {
            Assert.Throws<InvalidDataException>(() => PublicSuffixList.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
