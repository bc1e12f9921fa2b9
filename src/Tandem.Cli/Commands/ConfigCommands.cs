using System.CommandLine;
using Tandem.Agents.Execution;
using Tandem.Agents.Metadata;
using Tandem.Agents.Processes;
using System.Diagnostics;
using Tandem.Cli.Configuration;
using Tandem.Cli.Output;
using Tandem.Model;
using Tandem.Model.Diagnostics;
using Tandem.Model.Editing;
using Tandem.Node.Api;
using Tandem.Model.Validation;

namespace Tandem.Cli.Commands;

/// <summary>
/// `tandem config show|load|edit|import-cib|status` and `tandem verify`: the configuration in any of its
/// faces (crm-like text, JSON, CIB XML), its checks, and whole-configuration changes. The configuration
/// is the running cluster's (through the local daemon) unless -f names a file.
/// </summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var command = new Command("config", "The cluster configuration: show, load, edit, import a Pacemaker CIB, see the store's state");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Load());
        command.Subcommands.Add(Edit());
        command.Subcommands.Add(ImportCib());
        command.Subcommands.Add(Status());
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
        Description = "Read the configuration from this file (crm-like text, Tandem JSON or Pacemaker CIB XML, recognised by content) instead of the running cluster",
    };

    /// <summary>The running cluster's configuration, through this node's daemon.</summary>
    public static LiveConfigSource Live() => new(new LocalApiClient());

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
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the Tandem JSON configuration to this file instead of loading it into the running cluster" };
        var force = new Option<bool>("--force") { Description = "Import even when the CIB has errors (invalid values are read as Pacemaker reads them)" };
        var command = new Command("import-cib", "Read a Pacemaker CIB into the cluster's configuration (or a JSON file with -o), reporting what is not supported") { input, output, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = new FileConfigSource(parse.GetValue(input)!.FullName);
            if (parse.GetValue(output) is { } destination)
            {
                return await ImportCibAsync(source, destination, parse.GetValue(force), Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
            }
            return await ImportCibIntoAsync(source, Live(), parse.GetValue(force), Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The file -f names, else the running cluster.</summary>
    public static IConfigSource SourceFor(FileInfo? file) =>
        file is null ? Live() : new FileConfigSource(file.FullName);

    private static Command Load()
    {
        var input = new Argument<FileInfo>("file") { Description = "The whole configuration: crm-like text, Tandem JSON or Pacemaker CIB XML" };
        var command = new Command("load", "Replace the cluster's configuration with a file's (validated first; applied atomically)") { input };
        command.SetAction(async (parse, cancellationToken) =>
            await LoadAsync(new FileConfigSource(parse.GetValue(input)!.FullName), Live(), Console.Out, Console.Error, cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static Command Edit()
    {
        var command = new Command("edit", "Edit the cluster's configuration as crm-like text in $EDITOR; validated and applied atomically, the text kept on error");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var editor = Environment.GetEnvironmentVariable("VISUAL") is { Length: > 0 } visual ? visual
                : Environment.GetEnvironmentVariable("EDITOR") is { Length: > 0 } set ? set
                : throw new CliException("set EDITOR (or VISUAL) to the editor to use, e.g. EDITOR=nano");
            return await EditAsync(Live(), path => RunEditorAsync(editor, path, cancellationToken), Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Status()
    {
        var json = CommonOptions.Json();
        var command = new Command("status", "This node's copy of the configuration (version, digest) and the last merge that replaced it after a split or a rejoin") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var status = await Live().GetStatusAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Json.Write(status, Console.Out);
                return 0;
            }
            Console.Out.WriteLine($"configuration version {status.Version} (digest {status.Digest}){(status.Synchronising ? ", synchronising with the other members" : "")}");
            Console.Out.WriteLine(status.LastMerge is { } merge
                ? $"last merge at {merge.At:yyyy-MM-dd HH:mm:ss}Z: {merge}"
                : "no merge since the daemon started");
            return 0;
        });
        return command;
    }

    /// <summary>Replaces the target's configuration with the source's; what reading the source noticed goes to <paramref name="errors"/>.</summary>
    public static async Task<int> LoadAsync(IConfigSource source, IConfigTarget target, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(errors);
        var loaded = await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            await errors.WriteLineAsync($"{source.Name}: {diagnostic}").ConfigureAwait(false);
        }
        await ConfigUpdater.ApplyAsync(target, $"load {Path.GetFileName(source.Name)}", (_, _) => ConfigEdit.Of(loaded.Configuration), output, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// Writes the configuration as text to a file, lets <paramref name="edit"/> change it, and applies the
    /// result on the version that was edited. On any error the file stays, and the message says where.
    /// </summary>
    public static async Task<int> EditAsync(IConfigTarget target, Func<string, Task> edit, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(output);
        var loaded = await target.LoadAsync(cancellationToken).ConfigureAwait(false);
        var original = ConfigFaces.Write(loaded.Configuration, ConfigFormat.Text);
        var path = Path.Combine(Path.GetTempPath(), $"tandem-config-{loaded.Version}-{Environment.ProcessId}.crm");
        await File.WriteAllTextAsync(path, original, cancellationToken).ConfigureAwait(false);
        await edit(path).ConfigureAwait(false);
        var edited = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        if (edited == original)
        {
            File.Delete(path);
            await output.WriteLineAsync($"no change (configuration version {loaded.Version})").ConfigureAwait(false);
            return 0;
        }
        string Kept(string problem) => $"{problem}; your text is kept in {path} ('tandem config load {path}' applies it once fixed)";
        ClusterConfiguration configuration;
        try
        {
            configuration = ConfigFaces.Read(edited, ConfigFormat.Text).Configuration;
        }
        catch (FormatException e)
        {
            throw new CliException(Kept($"{e.Message.ReplaceLineEndings(" ")}: nothing changed"));
        }
        try
        {
            await ConfigUpdater.ApplyAsync(target, "config edit", (current, _) => ConfigEdit.Of(configuration), output, cancellationToken, maxAttempts: 1, versionCheck: loaded.Version).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            throw new CliException(Kept(e.Message));
        }
        File.Delete(path);
        return 0;
    }

    private static async Task RunEditorAsync(string editor, string path, CancellationToken cancellationToken)
    {
        // Through the shell, so that EDITOR may carry arguments ("code --wait").
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", editor + " \"$1\"", "sh", path })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new CliException($"cannot start the editor '{editor}'");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new CliException($"the editor '{editor}' exited with status {process.ExitCode}; nothing changed, your text is in {path}");
        }
    }

    /// <summary>Reads a CIB and loads it into the target, refusing a CIB with errors unless <paramref name="force"/>.</summary>
    public static async Task<int> ImportCibIntoAsync(IConfigSource source, IConfigTarget target, bool force, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var json = new StringWriter();
        await ImportCibAsync(source, null, force, json, errors, cancellationToken).ConfigureAwait(false);
        var configuration = ConfigFaces.Read(json.ToString(), ConfigFormat.Json).Configuration;
        await ConfigUpdater.ApplyAsync(target, $"import-cib {Path.GetFileName(source.Name)}", (_, _) => ConfigEdit.Of(configuration), output, cancellationToken).ConfigureAwait(false);
        return 0;
    }

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
