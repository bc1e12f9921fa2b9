using Tandem.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
