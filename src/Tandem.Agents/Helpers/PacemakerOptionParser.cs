namespace Tandem.Agents.Helpers;

/// <summary>
/// Parses command lines the way Pacemaker's tools do (pcmk__cmdline_preproc, then glib's GOption):
/// short options may be bundled (<c>-qG</c>) and may carry their value attached (<c>-nfoo</c>) or in the next
/// word, which is taken even when it starts with '-' (<c>-v -INFINITY</c>); long options take
/// <c>--name=value</c> or <c>--name value</c>; an optional value is taken only when attached or when the next
/// word does not start with '-' (so <c>crm_attribute -p -v 5</c> means the resource of the environment);
/// <c>--</c> ends the options. Options are returned in order, so the last one wins where that matters.
/// </summary>
public static class PacemakerOptionParser
{
    public static (IReadOnlyList<ParsedOption> Options, IReadOnlyList<string> Arguments) Parse(
        IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(specs);
        var options = new List<ParsedOption>();
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            if (word == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? word[2..] : word[2..eq];
                var spec = specs.FirstOrDefault(s => s.Long == name)
                    ?? throw new HelperUsageException($"Unknown option --{name}");
                options.Add(new ParsedOption(spec, LongValue(spec, eq < 0 ? null : word[(eq + 1)..], args, ref i)));
                continue;
            }
            if (word.Length > 1 && word[0] == '-')
            {
                for (var c = 1; c < word.Length; c++)
                {
                    var letter = word[c];
                    var spec = specs.FirstOrDefault(s => s.Short == letter)
                        ?? throw new HelperUsageException($"Unknown option -{letter}");
                    if (spec.Argument == OptionArgument.None)
                    {
                        options.Add(new ParsedOption(spec, null));
                        continue;
                    }
                    var attached = c + 1 < word.Length ? word[(c + 1)..] : null;
                    options.Add(new ParsedOption(spec, attached ?? NextValue(spec, args, ref i)));
                    break;
                }
                continue;
            }
            positional.Add(word);
        }
        return (options, positional);
    }

    private static string? LongValue(OptionSpec spec, string? attached, IReadOnlyList<string> args, ref int i)
    {
        if (spec.Argument == OptionArgument.None)
        {
            return attached is null ? null : throw new HelperUsageException($"Option --{spec.Long} does not take a value");
        }
        return attached ?? NextValue(spec, args, ref i);
    }

    private static string? NextValue(OptionSpec spec, IReadOnlyList<string> args, ref int i)
    {
        var hasNext = i + 1 < args.Count;
        if (spec.Argument == OptionArgument.Optional)
        {
            if (hasNext && !args[i + 1].StartsWith('-'))
            {
                return args[++i];
            }
            return null;
        }
        if (!hasNext)
        {
            throw new HelperUsageException($"Missing argument for {spec.Display}");
        }
        return args[++i];
    }
}
