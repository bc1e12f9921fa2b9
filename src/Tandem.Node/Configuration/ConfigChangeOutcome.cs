using Tandem.Model;

namespace Tandem.Node.Configuration;

/// <summary>What became of a <see cref="ConfigChange"/>: applied at a new version, or refused with a one-line reason.</summary>
public sealed record ConfigChangeOutcome(string RequestId, bool Applied, ConfigVersion Version, string? Error);
