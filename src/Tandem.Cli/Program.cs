using Tandem.Agents.Helpers;
using Tandem.Cli;

// Run through a symlink named crm_attribute, crm_node, ... (the agents' helper directory), tandem is that
// Pacemaker-compatible helper; otherwise it is the CLI.
var invokedAs = HelperCommands.InvokedName();
if (HelperCommands.IsHelper(invokedAs))
{
    return await HelperCommands.RunAsync(invokedAs, args, HelperContext.ForProcess()).ConfigureAwait(false);
}
return await CliApp.RunAsync(args).ConfigureAwait(false);
