using Tandem.Cli.Commands;
using Tandem.Model;
using Tandem.Model.Editing;

namespace Tandem.Cli.Configuration;

/// <summary>
/// What the configuration commands work on: the configuration to change (the running cluster's, or an
/// in-memory one in tests), where they write, and the clock (for expiring moves).
/// </summary>
public sealed record ConfigContext(Func<IConfigTarget> Target, TextWriter Output, TimeProvider Time)
{
    /// <summary>The running cluster through this node's daemon, printing to standard output.</summary>
    public static ConfigContext Live() => new(ConfigCommands.Live, Console.Out, TimeProvider.System);

    public Task<ConfigVersion?> ChangeAsync(string description, Func<ClusterConfiguration, ClusterNodes, ConfigEdit> edit, CancellationToken cancellationToken) =>
        ConfigUpdater.ApplyAsync(Target(), description, edit, Output, cancellationToken, time: Time);

    public async Task<ClusterConfiguration> ReadAsync(CancellationToken cancellationToken) =>
        (await Target().LoadAsync(cancellationToken).ConfigureAwait(false)).Configuration;

    /// <summary>Several edits applied one after the other, as one change.</summary>
    public static Func<ClusterConfiguration, ClusterNodes, ConfigEdit> All(IEnumerable<Func<ClusterConfiguration, ClusterNodes, ConfigEdit>> edits) =>
        (configuration, nodes) =>
        {
            var notes = new List<string>();
            foreach (var edit in edits)
            {
                var result = edit(configuration, nodes);
                configuration = result.Configuration;
                notes.AddRange(result.Notes);
            }
            return new ConfigEdit(configuration, notes);
        };
}
