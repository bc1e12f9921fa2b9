namespace Tandem.Bench;

/// <summary>
/// Entry of the benchmark runner: `./build.sh bench NAME [options]` (or
/// `dotnet run --project bench/Tandem.Bench -c Release -- NAME`). Each benchmark writes its report to
/// bench/results/NAME.md, with the command that produced it.
/// </summary>
public static class BenchApp
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["membership"] = MembershipBench.RunAsync,
        ["agents"] = AgentsBench.RunAsync,
        ["volumes"] = VolumesBench.RunAsync,
        ["scheduler"] = SchedulerBench.RunAsync,
        ["failover"] = Failover.FailoverBench.RunAsync,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine($"usage: ./build.sh bench NAME [options]   (NAME: {string.Join(", ", Benchmarks.Keys.Order(StringComparer.Ordinal))}, or all)");
            return 2;
        }
        if (args[0] == "probe")
        {
            // Not a benchmark: the failover benchmark's VIP probe, started inside the lab's client namespace.
            return await Failover.VipProbe.RunProbeAsync(args).ConfigureAwait(false);
        }
        if (args[0] == "all")
        {
            foreach (var run in Benchmarks.Values)
            {
                var code = await run([.. args.Skip(1)]).ConfigureAwait(false);
                if (code != 0)
                {
                    return code;
                }
            }
            return 0;
        }
        if (!Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine($"unknown benchmark '{args[0]}' (known: {string.Join(", ", Benchmarks.Keys.Order(StringComparer.Ordinal))})");
            return 2;
        }
        return await benchmark(args).ConfigureAwait(false);
    }
}
