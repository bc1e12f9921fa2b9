using System.CommandLine;
using Tandem.Agents.Execution;
using Tandem.Agents.Metadata;
using Tandem.Agents.Processes;
using Tandem.Cli.Output;
using Tandem.Model;
using Tandem.Model.Diagnostics;
using Tandem.Model.Validation;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem config show|import-cib` and `tandem verify`: the configuration in any of its faces (crm-like
/// text, JSON, CIB XML) and its checks. Where the configuration comes from is an
/// <see cref="IConfigSource"/>: today a file (-f), later the replicated store of the running cluster.
/// </summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var command = new Command("config", "The cluster configuration: show it as text, JSON or CIB XML; import a Pacemaker CIB");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(ImportCib());
        return command;
    }

    /// <summary>`tandem verify`, a top-level command as crm_verify is.</summary>
    public static Command Verify()
    {
        var file = FileOption();
        var agents = new Option<bool>("--agents")
        {
            Description = "Also check every primitive against its agent's metadata on this node (agent installed, required parameters)",
        };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Check a configuration: ids, references, values, contradictions, risky settings explained") { file, agents, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = SourceFor(parse.GetValue(file));
            if (!parse.GetValue(agents))
            {
                return await VerifyAsync(source, null, parse.GetValue(json), Console.Out, cancellationToken).ConfigureAwait(false);
            }
            await using var executor = new Executor(RaCommands.LocalOptions(), new PosixProcessLauncher(), TimeProvider.System);
            return await VerifyAsync(source, new MetadataProvider(executor), parse.GetValue(json), Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<FileInfo?> FileOption() => new("--file", "-f")
    {
        Description = "Read the configuration from this file (crm-like text, Tandem JSON or Pacemaker CIB XML, recognised by content)",
    };

    private static Command Show()
    {
        var file = FileOption();
        var format = new Option<string>("--format") { Description = "text (crm-like), json or cib", DefaultValueFactory = _ => "text" };
        var command = new Command("show", "Print the configuration as crm-like text, Tandem JSON or Pacemaker CIB XML") { file, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(format);
            if (!ConfigFaces.TryParseFormat(name, out var output))
            {
                throw new CliException($"unknown format '{name}' (expected text, json or cib)");
            }
            return await ShowAsync(SourceFor(parse.GetValue(file)), output, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ImportCib()
    {
        var input = new Argument<FileInfo>("file") { Description = "A Pacemaker CIB (cib.xml, or the output of cibadmin --query)" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the Tandem JSON configuration to this file instead of standard output" };
        var force = new Option<bool>("--force") { Description = "Import even when the CIB has errors (invalid values are read as Pacemaker reads them)" };
        var command = new Command("import-cib", "Read a Pacemaker CIB into a Tandem configuration (JSON), reporting what is not supported") { input, output, force };
        command.SetAction(async (parse, cancellationToken) =>
            await ImportCibAsync(new FileConfigSource(parse.GetValue(input)!.FullName), parse.GetValue(output), parse.GetValue(force),
                Console.Out, Console.Error, cancellationToken).ConfigureAwait(false));
        return command;
    }

    /// <summary>The configuration source the options name; without -f there is none yet (the cluster's store comes with the daemon).</summary>
    public static IConfigSource SourceFor(FileInfo? file) =>
        file is null
            ? throw new CliException("no configuration given: use -f FILE (reading the running cluster's configuration needs the daemon's configuration store)")
            : new FileConfigSource(file.FullName);

    public static async Task<int> ShowAsync(IConfigSource source, ConfigFormat format, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var loaded = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        // What the reading noticed goes to stderr, so that the output stays loadable.
        foreach (var diagnostic in loaded.Diagnostics)
        {
            await errors.WriteLineAsync($"{source.Name}: {diagnostic}").ConfigureAwait(false);
        }
        await output.WriteAsync(ConfigFaces.Write(loaded.Configuration, format, loaded.Version)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Prints every finding, then a summary; exit code 1 when there is an error (as crm_verify).</summary>
    public static async Task<int> VerifyAsync(IConfigSource source, IAgentMetadataSource? agents, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        var loaded = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        var findings = new List<Diagnostic>(loaded.Diagnostics);
        findings.AddRange(ConfigValidator.Validate(loaded.Configuration));
        if (agents is not null)
        {
            findings.AddRange(await ConfigurationAgentCheck.CheckAsync(loaded.Configuration, agents, cancellationToken).ConfigureAwait(false));
        }
        var ordered = findings.OrderByDescending(d => d.Severity).ToList();
        if (json)
        {
            Json.Write(new { source = source.Name, summary = DiagnosticReport.Summary(ordered), findings = ordered }, output);
        }
        else
        {
            foreach (var finding in ordered)
            {
                await output.WriteLineAsync(finding.ToString()).ConfigureAwait(false);
            }
            await output.WriteLineAsync($"{source.Name}: {DiagnosticReport.Summary(ordered)}").ConfigureAwait(false);
        }
        return ordered.Any(d => d.Severity == DiagnosticSeverity.Error) ? 1 : 0;
    }

    /// <summary>
    /// Reads a CIB, reports what is unsupported or invalid, and writes the configuration as Tandem JSON.
    /// A CIB with errors is refused (nothing written) unless <paramref name="force"/>.
    /// </summary>
    public static async Task<int> ImportCibAsync(IConfigSource source, FileInfo? destination, bool force, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var loaded = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (loaded.Format != ConfigFormat.Cib)
        {
            throw new CliException($"{source.Name}: not a CIB (this is {loaded.Format.ToString().ToLowerInvariant()}); use 'tandem config show -f {source.Name}' to read it");
        }
        var findings = loaded.Diagnostics.Concat(ConfigValidator.Validate(loaded.Configuration)).OrderByDescending(d => d.Severity).ToList();
        foreach (var finding in findings)
        {
            await errors.WriteLineAsync($"{source.Name}: {finding}").ConfigureAwait(false);
        }
        var errorCount = findings.Count(d => d.Severity == DiagnosticSeverity.Error);
        if (errorCount > 0 && !force)
        {
            var first = findings.First(d => d.Severity == DiagnosticSeverity.Error);
            throw new CliException($"{source.Name}: {first} ({errorCount} error{(errorCount == 1 ? "" : "s")}; nothing imported; --force imports anyway)");
        }
        var json = ConfigFaces.Write(loaded.Configuration, ConfigFormat.Json, loaded.Version);
        if (destination is null)
        {
            await output.WriteAsync(json).ConfigureAwait(false);
        }
        else
        {
            await WriteAtomicallyAsync(destination, json, cancellationToken).ConfigureAwait(false);
        }
        var c = loaded.Configuration;
        await errors.WriteLineAsync(
            $"{source.Name}: imported {Count(c.Nodes.Count, "node")}, {Count(c.AllResources.Count(), "resource")}, {Count(c.Constraints.Count, "constraint")} " +
            $"(version {loaded.Version}){(destination is null ? "" : $" into {destination.FullName}")}; {DiagnosticReport.Summary(findings)}").ConfigureAwait(false);
        return 0;
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    // Written beside the target and renamed over it, so that a crash leaves the old file or the new one, never half of one.
    private static async Task WriteAtomicallyAsync(FileInfo destination, string content, CancellationToken cancellationToken)
    {
        var temporary = destination.FullName + ".tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await using var writer = new StreamWriter(stream);
                await writer.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, destination.FullName, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"cannot write {destination.FullName}: {e.Message}");
        }
    }
}

/// <summary>Where a command gets the configuration it works on.</summary>
public interface IConfigSource
{
    /// <summary>How the source is named in messages (a file name).</summary>
    string Name { get; }

    /// <exception cref="CliException">The configuration cannot be read; one line naming the source and the position.</exception>
    Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>A configuration file in any face (text, JSON or CIB XML), recognised by its content.</summary>
public sealed class FileConfigSource(string path) : IConfigSource
{
    public string Name => path;

    public async Task<LoadedConfiguration> LoadAsync(CancellationToken cancellationToken)
    {
        string content;
        try
        {
            content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {path}: {e.Message}");
        }
        try
        {
            return ConfigFaces.Read(content);
        }
        catch (FormatException e)
        {
            throw new CliException($"{path}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
