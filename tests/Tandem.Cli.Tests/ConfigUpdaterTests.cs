using Tandem.Cli.Commands;
using Tandem.Cli.Configuration;
using Tandem.Model;
using Tandem.Model.Editing;
using Tandem.Model.Text;

namespace Tandem.Cli.Tests;

/// <summary>How a change reaches the store: validated first, compare-and-swap, redone when another change came first.</summary>
public sealed class ConfigUpdaterTests
{
    private static ClusterConfiguration Base() => TextParser.Parse("""
        node astapor
        node braavos
        primitive VIP1 IPaddr2 params ip=10.0.0.9 op monitor interval=30s
        primitive web systemd:nginx op monitor interval=10s
        """);

    [Fact]
    public async Task A_change_that_loses_the_race_is_redone_on_top_of_the_winner()
    {
        var target = new MemoryConfigTarget(Base());
        target.Interference.Enqueue(c => PropertyEdits.Set(c, "stonith-enabled", "false").Configuration);
        var cli = new Cli(target);
        await cli.RunAsync("resource disable web");
        Assert.Equal(2, target.Replaces);
        Assert.Equal("Stopped", target.Configuration.FindResource("web")!.UnconditionalMeta["target-role"]);
        Assert.Equal("false", target.Configuration.Options["stonith-enabled"]);
    }

    [Fact]
    public async Task A_change_that_keeps_losing_gives_up_and_changes_nothing()
    {
        var target = new MemoryConfigTarget(Base());
        for (var i = 0; i < ConfigUpdater.MaxAttempts; i++)
        {
            var n = i;
            target.Interference.Enqueue(c => PropertyEdits.Set(c, "batch-limit", $"{n + 1}").Configuration);
        }
        var e = await Assert.ThrowsAsync<CliException>(() => new Cli(target).RunAsync("resource disable web"));
        Assert.Contains($"gave up after {ConfigUpdater.MaxAttempts} attempts, nothing changed", e.Message, StringComparison.Ordinal);
        Assert.Null(target.Configuration.FindResource("web")!.UnconditionalMeta["target-role"]);
    }

    [Fact]
    public async Task A_change_that_adds_an_error_is_refused_before_it_is_sent()
    {
        var target = new MemoryConfigTarget(Base());
        var before = target.Configuration;
        var e = await Assert.ThrowsAsync<CliException>(() => ConfigUpdater.ApplyAsync(target, "test",
            (c, _) => ConfigEdit.Of(c with { Constraints = [new Model.Constraints.OrderConstraint("o") { First = "VIP1", Then = "ghost" }] }),
            new StringWriter(), CancellationToken.None));
        Assert.Contains("'ghost'", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("nothing changed", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, target.Replaces);
        Assert.Same(before, target.Configuration);
    }

    [Fact]
    public async Task Errors_already_in_the_configuration_do_not_block_unrelated_changes()
    {
        var broken = Base() with { Constraints = [new Model.Constraints.OrderConstraint("o") { First = "VIP1", Then = "ghost" }] };
        var target = new MemoryConfigTarget(broken);
        await new Cli(target).RunAsync("property set stonith-enabled=true");
        Assert.Equal(1, target.Replaces);
    }

    [Fact]
    public async Task Nothing_is_sent_when_the_edit_changes_nothing()
    {
        var target = new MemoryConfigTarget(Base());
        var output = await new Cli(target).RunAsync("resource enable web");
        Assert.Contains("no change (configuration version 0.1.0)", output, StringComparison.Ordinal);
        Assert.Equal(0, target.Replaces);
    }

    [Fact]
    public async Task Edit_applies_the_edited_text_on_the_version_that_was_edited()
    {
        var target = new MemoryConfigTarget(Base());
        var output = new StringWriter();
        await ConfigCommands.EditAsync(target, path =>
        {
            File.AppendAllText(path, "property stonith-enabled=false\n");
            return Task.CompletedTask;
        }, output, CancellationToken.None);
        Assert.Equal("false", target.Configuration.Options["stonith-enabled"]);
        Assert.Equal(["config edit"], target.Descriptions);
    }

    [Fact]
    public async Task Edit_keeps_the_text_when_it_does_not_read_and_changes_nothing()
    {
        var target = new MemoryConfigTarget(Base());
        string? edited = null;
        var e = await Assert.ThrowsAsync<CliException>(() => ConfigCommands.EditAsync(target, path =>
        {
            edited = path;
            File.AppendAllText(path, "primitive broken IPaddr2 op monitor interval=often\n");
            return Task.CompletedTask;
        }, new StringWriter(), CancellationToken.None));
        try
        {
            Assert.Contains("invalid duration 'often'", e.Message, StringComparison.Ordinal);
            Assert.Contains($"your text is kept in {edited}", e.Message, StringComparison.Ordinal);
            Assert.Contains("interval=often", File.ReadAllText(edited!), StringComparison.Ordinal);
            Assert.Equal(0, target.Replaces);
        }
        finally
        {
            File.Delete(edited!);
        }
    }

    [Fact]
    public async Task Edit_refuses_when_the_configuration_changed_while_the_editor_was_open()
    {
        var target = new MemoryConfigTarget(Base());
        string? edited = null;
        var e = await Assert.ThrowsAsync<CliException>(() => ConfigCommands.EditAsync(target, async path =>
        {
            edited = path;
            File.AppendAllText(path, "property stonith-enabled=false\n");
            await ConfigUpdater.ApplyAsync(target, "someone else", (c, _) => PropertyEdits.Set(c, "batch-limit", "3"), new StringWriter(), CancellationToken.None);
        }, new StringWriter(), CancellationToken.None));
        try
        {
            Assert.Contains("the configuration changed meanwhile", e.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(edited));
            Assert.Null(target.Configuration.Options["stonith-enabled"]);
        }
        finally
        {
            File.Delete(edited!);
        }
    }

    [Fact]
    public async Task The_first_resource_of_a_fresh_cluster_is_accepted_and_the_missing_fence_device_is_said()
    {
        var target = new MemoryConfigTarget(Model.ClusterConfiguration.Empty);
        var output = await new Cli(target).RunAsync("resource create VIP1 IPaddr2 ip=192.0.2.10 op monitor interval=30s");
        Assert.NotNull(target.Configuration.FindResource("VIP1"));
        Assert.Contains("error: fencing is enabled but no fence device (class stonith) is configured", output, StringComparison.Ordinal);
    }
}
