using Tandem.Agents.Helpers;

namespace Tandem.Agents.Tests.Helpers;

public class PacemakerOptionParserTests
{
    private static readonly OptionSpec N = new('n', "name", OptionArgument.Required);
    private static readonly OptionSpec Q = new('q', "quiet", OptionArgument.None);
    private static readonly OptionSpec G = new('G', "query", OptionArgument.None);
    private static readonly OptionSpec P = new('p', "promotion", OptionArgument.Optional);
    private static readonly OptionSpec[] Specs = [N, Q, G, P];

    private static string Show(params string[] args)
    {
        var (options, positional) = PacemakerOptionParser.Parse(args, Specs);
        return string.Join(' ', options.Select(o => $"{o.Spec.Short}{(o.Value is null ? "" : "=" + o.Value)}")) + " | " + string.Join(' ', positional);
    }

    [Theory]
    [InlineData("n=x q G | ", "-nx", "-qG")]
    [InlineData("q G n=x | ", "-qGn", "x")]
    [InlineData("n=-v | ", "-n", "-v")]
    [InlineData("n=a=b | ", "--name=a=b")]
    [InlineData("p q | ", "-p", "-q")]
    [InlineData("p=rsc q | ", "-p", "rsc", "-q")]
    [InlineData("p=rsc | ", "--promotion=rsc")]
    [InlineData("p | ", "--promotion")]
    [InlineData("q | -G x", "-q", "--", "-G", "x")]
    [InlineData("q | file -", "-q", "file", "-")]
    public void Parses_like_glib_after_pacemaker_preprocessing(string expected, params string[] args) =>
        Assert.Equal(expected, Show(args));

    [Theory]
    [InlineData("Unknown option -x", "-x")]
    [InlineData("Unknown option --frob", "--frob")]
    [InlineData("Missing argument for --name", "-n")]
    [InlineData("Option --quiet does not take a value", "--quiet=1")]
    public void Rejects_with_a_one_line_reason(string message, params string[] args) =>
        Assert.Equal(message, Assert.Throws<HelperUsageException>(() => PacemakerOptionParser.Parse(args, Specs)).Message);
}
