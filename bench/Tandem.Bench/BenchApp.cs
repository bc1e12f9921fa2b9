namespace Tandem.Bench;

/// <summary>Entry of the benchmark runner: `dotnet run --project bench/Tandem.Bench -- NAME`.</summary>
public static class BenchApp
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine(args.Length == 0 ? "usage: Tandem.Bench NAME [options]" : $"unknown benchmark '{args[0]}'");
        return Task.FromResult(2);
    }
}
