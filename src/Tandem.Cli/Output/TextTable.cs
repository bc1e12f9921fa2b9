using System.Text;

namespace Tandem.Cli.Output;

/// <summary>A plain text table for people: left-aligned columns, two spaces apart, a header row.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Add(params object?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"row has {cells.Length} cells, table has {headers.Length} columns", nameof(cells));
        }
        _rows.Add([.. cells.Select(c => c?.ToString() ?? "")]);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                text.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
            }
            text.Append('\n');
        }
        Line(headers);
        foreach (var row in _rows)
        {
            Line(row);
        }
        return text.ToString();
    }
}
