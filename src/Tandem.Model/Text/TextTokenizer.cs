using System.Text;

namespace Tandem.Model.Text;

/// <summary>
/// Splits text-face input into statements of tokens. A statement is one line; a backslash at the end
/// of a line continues it. Lines whose first character is '#' outside a continued statement are
/// comments (inside a statement, "#uname" is an attribute name). Double quotes group a word that
/// contains spaces; \" and \\ escape inside quotes.
/// </summary>
internal static class TextTokenizer
{
    public static List<List<Token>> Statements(string text)
    {
        var statements = new List<List<Token>>();
        var current = new List<Token>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var lineNumber = index + 1;
            if (current.Count == 0 && line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var continued = ReadLine(line, lineNumber, current);
            if (!continued && current.Count > 0)
            {
                statements.Add(current);
                current = [];
            }
        }
        if (current.Count > 0)
        {
            statements.Add(current);
        }
        return statements;
    }

    /// <summary>Adds the line's tokens; returns whether the line ends with a continuation backslash.</summary>
    private static bool ReadLine(string line, int lineNumber, List<Token> tokens)
    {
        var i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }
            if (i >= line.Length)
            {
                return false;
            }
            if (line[i] == '\\' && line[(i + 1)..].Trim().Length == 0)
            {
                return true;
            }
            var start = i;
            var word = new StringBuilder();
            var quoted = false;
            int? equals = null;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                var c = line[i];
                if (c == '"')
                {
                    quoted = true;
                    i++;
                    while (true)
                    {
                        if (i >= line.Length)
                        {
                            throw new TextParseException("unterminated quoted string", lineNumber, start + 1, line[start..]);
                        }
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                        {
                            word.Append(line[i + 1]);
                            i += 2;
                            continue;
                        }
                        if (line[i] == '"')
                        {
                            i++;
                            break;
                        }
                        word.Append(line[i]);
                        i++;
                    }
                    continue;
                }
                if (c == '=' && equals is null)
                {
                    equals = word.Length;
                }
                word.Append(c);
                i++;
            }
            var text = word.ToString();
            var token = new Token(text, lineNumber, start + 1, quoted);
            if (equals is { } at)
            {
                token = token with { Key = text[..at], Value = text[(at + 1)..] };
            }
            tokens.Add(token);
        }
    }

    /// <summary>Writes a word so that the tokenizer reads it back unchanged.</summary>
    public static string Quote(string word)
    {
        var needsQuotes = word.Length == 0
            || word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '=')
            || word is "(" or ")"
            || word[0] is '#' or '$' or '@' or '/'
            || word[^1] == ':';
        if (!needsQuotes)
        {
            return word;
        }
        return "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>key=value with each side quoted as needed.</summary>
    public static string Pair(string key, string value) => $"{Quote(key)}={QuoteValue(value)}";

    // A value may contain '=' and start with the characters that matter only at the start of a word.
    private static string QuoteValue(string value)
    {
        var needsQuotes = value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\');
        return needsQuotes
            ? "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : value;
    }
}
