namespace Tandem.Agents.Helpers;

/// <summary>
/// <c>crm_master</c>, Pacemaker's deprecated wrapper: <c>crm_attribute -n master-$OCF_RESOURCE_INSTANCE
/// --lifetime forever OPTIONS</c> (agents pass <c>-l reboot</c>, which overrides the lifetime).
/// </summary>
public static class CrmMaster
{
    private static readonly OptionSpec Resource = new('r', "resource", OptionArgument.Required);

    private static readonly OptionSpec[] Specs =
    [
        new('V', "verbose", OptionArgument.None), new('q', "quiet", OptionArgument.None), new('Q', null, OptionArgument.None),
        new('G', "query", OptionArgument.None), new('D', "delete", OptionArgument.None),
        new('v', "update", OptionArgument.Required), new('N', "node", OptionArgument.Required),
        new('l', "lifetime", OptionArgument.Required), new('i', "id", OptionArgument.Required),
        new(null, "get-value", OptionArgument.None), new(null, "delete-attr", OptionArgument.None),
        new('U', "uname", OptionArgument.Required), new(null, "attr-value", OptionArgument.Required),
        new(null, "attr-id", OptionArgument.Required), new(null, "help", OptionArgument.None),
        new(null, "version", OptionArgument.None), Resource,
    ];

    public static Task<int> RunAsync(IReadOnlyList<string> args, HelperContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, _) = PacemakerOptionParser.Parse(args, Specs);
        var resource = context.Environment("OCF_RESOURCE_INSTANCE");
        var forwarded = new List<string> { "--lifetime", "forever" };
        foreach (var option in options)
        {
            if (option.Spec == Resource)
            {
                resource = option.Value;
                continue;
            }
            if (option.Spec.Long == "help")
            {
                return HelpAsync(context);
            }
            if (option.Spec.Long == "version")
            {
                return HelperCommands.VersionAsync(context);
            }
            var flag = option.Spec.Long is { } longName ? "--" + longName : "-" + option.Spec.Short;
            // crm_master's own -U/--uname is crm_attribute's --node-uname.
            if (option.Spec.Long == "uname")
            {
                flag = "--node-uname";
            }
            forwarded.Add(flag);
            if (option.Value is not null)
            {
                forwarded.Add(option.Value);
            }
        }
        if (string.IsNullOrEmpty(resource))
        {
            return NoResourceAsync(context);
        }
        forwarded.InsertRange(0, ["-n", CrmAttribute.PromotionScoreName(resource)]);
        return CrmAttribute.RunAsync(forwarded, context, cancellationToken);
    }

    private static async Task<int> NoResourceAsync(HelperContext context)
    {
        // The wrapper script exits 1 here, not 64.
        await context.Error.WriteLineAsync("crm_master: error: No resource specified (OCF_RESOURCE_INSTANCE or -r)").ConfigureAwait(false);
        return HelperExit.Error;
    }

    private static async Task<int> HelpAsync(HelperContext context)
    {
        await context.Out.WriteLineAsync("crm_master - Query, update, or delete a resource's promotion score\n\nUsage: crm_master <command> [<options>]").ConfigureAwait(false);
        return HelperExit.Ok;
    }
}
