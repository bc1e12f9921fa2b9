namespace Tandem.Agents.Scripted;

/// <summary>One call a scripted agent received: its action, resource instance, and full environment.</summary>
public sealed record ScriptedCall(string Action, string Instance, IReadOnlyDictionary<string, string> Environment, string? StandardInput);
