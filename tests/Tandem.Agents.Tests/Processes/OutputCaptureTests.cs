using System.Text;
using Tandem.Agents.Processes;

namespace Tandem.Agents.Tests.Processes;

public class OutputCaptureTests
{
    [Fact]
    public void Short_output_is_kept_whole()
    {
        var capture = new OutputCapture(new OutputLimits(16, 16));
        capture.Append("hello\nworld\n");
        var output = capture.Complete();
        Assert.Equal("hello\nworld\n", output.Text);
        Assert.Equal(0, output.DroppedBytes);
        Assert.Equal(12, output.TotalBytes);
    }

    [Fact]
    public void Long_output_keeps_head_and_tail_and_counts_what_was_dropped()
    {
        var capture = new OutputCapture(new OutputLimits(4, 6));
        // Fed in uneven chunks so the ring wraps more than once.
        foreach (var chunk in new[] { "HEAD", "middle-", "part-", "x", "yz", "-TAIL!" })
        {
            capture.Append(chunk);
        }
        var output = capture.Complete();
        Assert.StartsWith("HEAD", output.Text, StringComparison.Ordinal);
        Assert.EndsWith("-TAIL!", output.Text, StringComparison.Ordinal);
        Assert.Equal(25, output.TotalBytes);
        Assert.Equal(15, output.DroppedBytes);
        Assert.Contains("15 bytes of output dropped", output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tail_is_exact_for_any_chunking()
    {
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 500).Select(i => (char)('a' + (i % 26)))));
        for (var chunk = 1; chunk < 40; chunk += 3)
        {
            var capture = new OutputCapture(new OutputLimits(10, 33));
            for (var at = 0; at < data.Length; at += chunk)
            {
                capture.Append(data.AsSpan(at, Math.Min(chunk, data.Length - at)));
            }
            var text = capture.Complete().Text;
            Assert.StartsWith(Encoding.ASCII.GetString(data, 0, 10), text, StringComparison.Ordinal);
            Assert.EndsWith(Encoding.ASCII.GetString(data, data.Length - 33, 33), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_last_exit_reason_wins_even_when_its_line_was_not_kept()
    {
        var capture = new OutputCapture(new OutputLimits(8, 8));
        capture.Append("ocf-exit-reason:first\n");
        capture.Append(new string('x', 1000) + "\n");
        capture.Append("INFO: ocf-exit-reason:sec");
        capture.Append("ond one\r\n");
        capture.Append(new string('y', 1000));
        Assert.Equal("second one", capture.Complete().ExitReason);
    }

    [Fact]
    public void Exit_reasons_are_cut_at_128_characters_and_empty_ones_ignored()
    {
        var capture = new OutputCapture(OutputLimits.Default);
        capture.Append("ocf-exit-reason:" + new string('r', 300) + "\nocf-exit-reason:\n");
        Assert.Equal(new string('r', 128), capture.Complete().ExitReason);
    }
}
