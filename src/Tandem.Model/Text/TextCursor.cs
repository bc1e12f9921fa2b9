using Tandem.Model.Durations;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Text;

/// <summary>Walks the tokens of one statement; every error names the line, column and token.</summary>
internal sealed class TextCursor(List<Token> tokens, string context)
{
    private int _index;

    public string Context { get; set; } = context;

    public bool AtEnd => _index >= tokens.Count;

    public Token? Peek(int ahead = 0) => _index + ahead < tokens.Count ? tokens[_index + ahead] : null;

    public Token Next(string expected)
    {
        if (AtEnd)
        {
            var last = tokens[^1];
            throw new TextParseException($"{Context}: unexpected end of statement (expected {expected})", last.Line, last.Column + last.Text.Length, null);
        }
        return tokens[_index++];
    }

    /// <summary>Consumes the next token when it is the bare word <paramref name="word"/>.</summary>
    public bool Accept(string word)
    {
        if (Peek() is { } t && t.Is(word))
        {
            _index++;
            return true;
        }
        return false;
    }

    /// <summary>Consumes the next token when it is key=value with this key.</summary>
    public Token? AcceptPair(string key)
    {
        if (Peek() is { IsPair: true } t && t.Key == key)
        {
            _index++;
            return t;
        }
        return null;
    }

    /// <summary>An error about the statement as a whole, placed at its first token.</summary>
    public TextParseException StatementError(string message) => new($"{Context}: {message}", tokens[0].Line, tokens[0].Column, null);

    public TextParseException Error(Token token, string message) => new($"{Context}: {message}", token.Line, token.Column, token.ToString());

    public TextParseException Unexpected(Token token, string expected) => Error(token, $"unexpected '{token}' (expected {expected})");

    /// <summary>A plain word (not key=value): an id, an agent, a node name.</summary>
    public string Word(string expected)
    {
        var token = Next(expected);
        if (token.IsPair || token.Is("(") || token.Is(")"))
        {
            throw Unexpected(token, expected);
        }
        return token.Text;
    }

    public Score ScoreOf(Token token, string text) =>
        Score.TryParse(text, out var score, out var error) ? score : throw Error(token, error);

    public Duration DurationOf(Token token) =>
        Duration.TryParse(token.Value, out var duration, out var error) ? duration : throw Error(token, error);

    public bool BoolOf(Token token) =>
        Booleans.TryParse(token.Value, out var value) ? value : throw Error(token, $"invalid boolean '{token.Value}' for {token.Key} (expected true or false)");

    public int IntOf(Token token) =>
        int.TryParse(token.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(token, $"invalid integer '{token.Value}' for {token.Key}");

    public Role RoleOf(Token token, string text) =>
        RoleNames.TryParse(text, out var role) ? role : throw Error(token, $"invalid role '{text}' (expected Stopped, Started, Unpromoted or Promoted)");

    public T EnumOf<T>(Token token, string text, string expected) where T : struct, Enum =>
        EnumNames.TryParse(text, out T value) ? value : throw Error(token, $"invalid value '{text}' (expected {expected})");
}
