using Tandem.Bench;

return await BenchApp.RunAsync(args).ConfigureAwait(false);
