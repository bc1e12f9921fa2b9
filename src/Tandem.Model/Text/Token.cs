namespace Tandem.Model.Text;

/// <summary>
/// One word of the text face with its position. <see cref="Text"/> is the word with quotes removed;
/// when the word contains an unquoted '=', <see cref="Key"/> and <see cref="Value"/> are its two sides.
/// </summary>
internal sealed record Token(string Text, int Line, int Column, bool Quoted)
{
    public string? Key { get; init; }

    public string? Value { get; init; }

    public bool IsPair => Key is not null;

    /// <summary>A bare word (not quoted, not key=value) equal to <paramref name="word"/>.</summary>
    public bool Is(string word) => !Quoted && !IsPair && Text == word;

    /// <summary>A bare word ending with ':' such as "inf:" or "cib-bootstrap-options:".</summary>
    public bool IsLabel => !Quoted && !IsPair && Text.Length > 1 && Text[^1] == ':';

    public string Label => Text[..^1];

    public override string ToString() => Quoted ? $"\"{Text}\"" : Text;
}
