using System.Globalization;
using Tandem.Model;
using Tandem.Model.Attributes;
using Tandem.Model.Diagnostics;
using Tandem.Model.Resources;

namespace Tandem.Agents.Metadata;

/// <summary>
/// Checks a configuration's primitives against their agents' metadata, for <c>tandem verify</c> and for
/// refusing bad changes before they are sent: agents that are not installed (errors), required parameters
/// missing (errors), unknown, deprecated or ill-typed parameters (warnings), operations the agent does not
/// declare and timeouts below the agent's advice (warnings). Results are the model's
/// <see cref="Diagnostic"/>s, with paths such as <c>resources/primitive[id=vip]/params/ip</c>.
/// </summary>
public static class ConfigurationAgentCheck
{
    /// <summary>Operations every agent answers without declaring them.</summary>
    private static readonly HashSet<string> ImplicitActions = ["monitor", "start", "stop", "meta-data", "validate-all"];

    public static async Task<IReadOnlyList<Diagnostic>> CheckAsync(ClusterConfiguration configuration, IAgentMetadataSource metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(metadata);
        var diagnostics = new List<Diagnostic>();
        foreach (var primitive in configuration.AllResources.OfType<Primitive>().Select(configuration.Expand))
        {
            diagnostics.AddRange(await CheckAsync(primitive, metadata, cancellationToken).ConfigureAwait(false));
        }
        return diagnostics;
    }

    public static async Task<IReadOnlyList<Diagnostic>> CheckAsync(Primitive primitive, IAgentMetadataSource metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primitive);
        ArgumentNullException.ThrowIfNull(metadata);
        var path = $"resources/primitive[id={primitive.Id}]";
        if (primitive.Agent is null)
        {
            // A primitive without an agent (an unresolved template) is the model's own error.
            return [];
        }
        if (!AgentName.TryParse(primitive.Agent.ToString(), out var agent, out var error))
        {
            return [new Diagnostic(DiagnosticSeverity.Unsupported, path, $"{primitive.Id}: {error}")];
        }
        AgentMetadata described;
        try
        {
            described = await metadata.GetAsync(agent, cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataException e)
        {
            return [new Diagnostic(DiagnosticSeverity.Error, path, $"{primitive.Id}: {e.Message}")];
        }

        var diagnostics = new List<Diagnostic>();
        var parameters = primitive.Params.Resolve();
        foreach (var finding in ParameterValidator.Validate(agent, described, parameters))
        {
            diagnostics.Add(new Diagnostic(
                finding.Severity == FindingSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
                $"{path}/params/{finding.Parameter}",
                $"{primitive.Id}: {finding.Message}"));
        }
        foreach (var operation in primitive.Operations)
        {
            var operationPath = $"{path}/operations/op[id={operation.Id}]";
            var declared = described.FindAction(operation.Name, operation.Role?.ToString());
            if (declared is null)
            {
                if (!ImplicitActions.Contains(operation.Name))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, operationPath,
                        $"{primitive.Id}: {agent} has no action '{operation.Name}' (it declares {string.Join(", ", described.Actions.Select(a => a.Name).Distinct())})"));
                }
                continue;
            }
            if (operation.Timeout is { } timeout && declared.TimeoutMs is { } advised && timeout.Milliseconds < advised)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, operationPath,
                    $"{primitive.Id}: {operation.Name} timeout {timeout} is below the {Seconds(advised)} that {agent} advises"));
            }
        }
        return diagnostics;
    }

    private static string Seconds(long ms) =>
        ms % 1000 == 0 ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
}
