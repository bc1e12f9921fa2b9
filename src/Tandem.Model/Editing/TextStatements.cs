using Tandem.Model.Text;

namespace Tandem.Model.Editing;

/// <summary>
/// Adds statements of the text face to a configuration: the configuration is printed, the statements
/// appended, and the whole read back (print then parse is the identity). A command that creates
/// something is thereby defined as the text that says the same, and gives the same configuration.
/// </summary>
internal static class TextStatements
{
    /// <summary>Writes a word or a name=value pair so that the text face reads it back unchanged.</summary>
    public static string Word(string word) => TextTokenizer.Quote(word);

    public static string Pair(string name, string value) => TextTokenizer.Pair(name, value);

    /// <exception cref="ConfigEditException">The statements do not read (the reason, without a position in text the user never wrote).</exception>
    public static ClusterConfiguration Append(ClusterConfiguration configuration, params string[] statements)
    {
        var printed = TextPrinter.Print(configuration) + "\n";
        var firstNewLine = printed.Count(c => c == '\n') + 1;
        try
        {
            return TextParser.Parse(printed + string.Join("\n", statements) + "\n");
        }
        catch (TextParseException e) when (e.Line >= firstNewLine && e.Reason is not null)
        {
            throw new ConfigEditException(e.Token is null ? e.Reason : $"{e.Reason} (at '{e.Token}')");
        }
        catch (TextParseException e)
        {
            throw new ConfigEditException($"the configuration does not read back from its text face ({e.Message}); use 'tandem config edit'");
        }
    }
}
