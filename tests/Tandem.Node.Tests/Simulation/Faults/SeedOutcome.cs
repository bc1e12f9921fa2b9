using System.Text;

namespace Tandem.Node.Tests.Simulation.Faults;

/// <summary>
/// How one seed's run ended: <paramref name="Violation"/> is null when every invariant held and the cluster
/// converged; otherwise it names the broken invariant, <paramref name="Step"/> the step after which it
/// was found, <paramref name="Trace"/> the faults up to it and <paramref name="Detail"/> the agent
/// operations of that step and the ground truth.
/// </summary>
public sealed record SeedOutcome(int Seed, FencingMode Fencing, string? Violation, int Step, IReadOnlyList<string> Trace, IReadOnlyList<string> Detail)
{
    public bool Held => Violation is null;

    /// <summary>Steps the seed took (events handled and messages delivered).</summary>
    public int Steps { get; init; }

    /// <summary>Transitions the seed's coordinators started (each one a scheduler run).</summary>
    public int Transitions { get; init; }

    /// <summary>Promotions that lost writes of a Primary cut off from its peer (a limit of dont-care volume fencing, not a violation).</summary>
    public IReadOnlyList<string> WritesLostApart { get; init; } = [];

    /// <summary>The report of a violation: what broke, how to replay it, the faults and the last step's operations.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed} (fencing {Fencing.ToString().ToLowerInvariant()}), step {Step}: {Violation}");
        text.AppendLine($"  replay: TANDEM_SIM_SEED={Seed} TANDEM_SIM_LOG=1 dotnet test tests/Tandem.Node.Tests --filter FullyQualifiedName~FaultSimulationTests.Replay");
        text.AppendLine("  faults:");
        foreach (var line in Trace)
        {
            text.AppendLine("    " + line);
        }
        text.AppendLine("  operations of the last step, then the state:");
        foreach (var line in Detail)
        {
            text.AppendLine("    " + line);
        }
        return text.ToString();
    }
}
