namespace Tandem.Lab.Chaos;

/// <summary>One planned fault: its kind and how long the run lets the load flow before injecting it.</summary>
public sealed record ChaosStep(int Number, ChaosFaultKind Kind, TimeSpan PauseBefore);
