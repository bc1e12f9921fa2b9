namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>crm_resource --locate -r RSC</c> (also <c>-W</c>): "resource RSC is running on: NODE[ Promoted]" per
/// active instance, or "resource RSC is NOT running" on stderr; <c>-Q</c> prints node names only. linbit's
/// drbd agent parses this to find its peer's role. Other crm_resource commands belong to <c>tandem resource</c>.
/// </summary>
public static class CrmResource
{
    private static readonly OptionSpec Resource = new('r', "resource", OptionArgument.Required);
    private static readonly OptionSpec Locate = new('W', "locate", OptionArgument.None);
    private static readonly OptionSpec Quiet = new('Q', "quiet", OptionArgument.None);
    private static readonly OptionSpec Verbose = new('V', "verbose", OptionArgument.None);
    private static readonly OptionSpec Version = new('$', "version", OptionArgument.None);
    private static readonly OptionSpec Help = new('h', "help", OptionArgument.None);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(args);
        // Only --locate is implemented; reject other commands by name rather than as unknown options.
        if (args.FirstOrDefault(a => a.StartsWith('-') && !IsKnown(a)) is { } other)
        {
            return await HelperCommands.UnsupportedAsync(context, "crm_resource", other).ConfigureAwait(false);
        }
        var (options, _) = PacemakerOptionParser.Parse(args, [Resource, Locate, Quiet, Verbose, Version, Help]);
        if (options.Any(o => o.Spec == Version))
        {
            return await HelperCommands.VersionAsync(context).ConfigureAwait(false);
        }
        if (options.Any(o => o.Spec == Help) || !options.Any(o => o.Spec == Locate))
        {
            await context.Out.WriteLineAsync("Usage: crm_resource --locate --resource RSC [--quiet]").ConfigureAwait(false);
            return options.Any(o => o.Spec == Help) ? HelperExit.Ok : HelperExit.Usage;
        }
        var id = options.LastOrDefault(o => o.Spec == Resource)?.Value
            ?? throw new HelperUsageException("Must supply a resource id with -r");
        var quiet = options.Any(o => o.Spec == Quiet);
        var located = await context.Api.GetResourceLocationsAsync(id, cancellationToken).ConfigureAwait(false);
        if (located is null)
        {
            await context.Error.WriteLineAsync($"crm_resource: Resource '{id}' not found").ConfigureAwait(false);
            return HelperExit.NoSuch;
        }
        if (located.Locations.Count == 0)
        {
            if (!quiet)
            {
                await context.Error.WriteLineAsync($"resource {id} is NOT running").ConfigureAwait(false);
            }
            return HelperExit.Ok;
        }
        foreach (var location in located.Locations)
        {
            await context.Out.WriteLineAsync(quiet
                ? location.Node
                : $"resource {id} is running on: {location.Node}{(location.Role == "Promoted" ? " Promoted" : "")}").ConfigureAwait(false);
        }
        return HelperExit.Ok;
    }

    private static bool IsKnown(string word)
    {
        if (word.StartsWith("--", StringComparison.Ordinal))
        {
            var name = word[2..].Split('=')[0];
            return name is "resource" or "locate" or "quiet" or "verbose" or "version" or "help" or "";
        }
        return word[1..].All(c => c is 'r' or 'W' or 'Q' or 'V' or '$' or 'h') || (word.Length > 2 && word[1] == 'r');
    }
}
