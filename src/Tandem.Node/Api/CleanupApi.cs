using Tandem.Node.Status;

namespace Tandem.Node.Api;

/// <summary>POST /v1/cleanup: clean up the failures of one resource (a group or clone: all its members) or of every resource, on one node or on all.</summary>
public sealed record CleanupRequest(string? Resource, string? Node);

/// <summary>The answer to a cleanup: what was cleaned where (empty when nothing had failed).</summary>
public sealed record CleanupResponse(IReadOnlyList<CleanedResource> Cleaned);
