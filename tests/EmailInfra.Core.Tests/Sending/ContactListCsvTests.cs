using EmailInfra.Core.Sending;

namespace EmailInfra.Core.Tests.Sending;

public class ContactListCsvTests
{
    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndLineBreaks()
    {
        var rows = ContactListVerification.Csv.Read(new StringReader("name,email\r\n\"Doe, Jane\",jane@example.com\r\n\"Say \"\"hi\"\"\",\"multi\nline@example.com\"\n")).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["Doe, Jane", "jane@example.com"], rows[1]);
        Assert.Equal(["Say \"hi\"", "multi\nline@example.com"], rows[2]);
    }

    [Fact]
    public void Line_QuotesOnlyWhatNeedsIt_RoundTrips()
    {
        string[] fields = ["plain", "with,comma", "with \"quote\"", "line\nbreak"];
        var line = ContactListVerification.Csv.Line(fields);
        Assert.Equal("plain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\"", line);
        Assert.Equal(fields, ContactListVerification.Csv.Read(new StringReader(line)).Single());
    }
}
