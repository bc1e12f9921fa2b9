namespace Tandem.Mail.Tests;

public sealed class SmtpSessionTests
{
    [Theory]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("a\r\n.b\r\n..c", "a\r\n..b\r\n...c\r\n")]
    [InlineData(".", "..\r\n")]
    [InlineData("", "")]
    public void Data_is_dot_stuffed_with_crlf_line_ends(string message, string expected) =>
        Assert.Equal(expected, SmtpSession.DotStuff(message));

    [Fact]
    public void Imap_quoted_strings_escape_quotes_and_backslashes_and_refuse_line_breaks()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", ImapSession.Quote("a\"b\\c"));
        Assert.Throws<ArgumentException>(() => ImapSession.Quote("a\r\nb"));
    }
}
