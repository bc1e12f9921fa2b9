using Tandem.Model;

namespace Tandem.Cli.Configuration;

/// <summary>Where a command gets the configuration it works on: a file, or the running cluster.</summary>
public interface IConfigSource
{
    /// <summary>How the source is named in messages (a file name, or "the cluster").</summary>
    string Name { get; }

    /// <exception cref="CliException">The configuration cannot be read; one line naming the source and the position.</exception>
    Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken);
}
