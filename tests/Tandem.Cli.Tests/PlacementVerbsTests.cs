using Tandem.Cli.Configuration;
using Tandem.Model;
using Tandem.Model.Constraints;
using Tandem.Model.Editing;
using Tandem.Model.Resources;
using Tandem.Model.Rules;
using Tandem.Model.Scores;
using Tandem.Model.Text;
using Tandem.Scheduler.Output;

namespace Tandem.Cli.Tests;

/// <summary>
/// Issue 6, build 4 and acceptance 5: node standby/online/maintenance, resource move/ban/clear and
/// enable/disable/manage/unmanage as configuration changes; bad input changes nothing.
/// </summary>
public sealed class PlacementVerbsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private static MemoryConfigTarget Target() => new(TextParser.Parse("""
        primitive VIP1 IPaddr2 params ip=10.0.0.9 op monitor interval=30s
        primitive svc systemd:nginx op monitor interval=10s
        group g VIP1 svc
        primitive drbd ocf:linbit:drbd op monitor interval=10s role=Promoted op monitor interval=11s role=Unpromoted
        ms drbd_ms drbd
        primitive ping ocf:pacemaker:ping op monitor interval=10s
        clone ping-clone ping
        """));

    [Fact]
    public async Task Standby_without_a_node_means_this_node_and_is_kept_as_Pacemaker_keeps_it()
    {
        var target = Target();
        var cli = new Cli(target);
        await cli.RunAsync("node standby");
        // Not listed in the configuration before: added with its corosync id, as Pacemaker lists nodes.
        var node = Assert.Single(target.Configuration.Nodes);
        Assert.Equal(("1", "astapor"), (node.Id, node.Uname));
        Assert.StartsWith("node 1: astapor attributes standby=on", TextPrinter.Print(target.Configuration).Replace(" \\\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("nodes-1-standby", node.Attributes.Single().Pairs.Single().Id);

        await cli.RunAsync("node maintenance braavos");
        await cli.RunAsync("node online astapor");
        Assert.Empty(target.Configuration.FindNode("astapor")!.Attributes);
        Assert.Equal("on", target.Configuration.FindNode("braavos")!.Attributes.Single()["maintenance"]);
        await cli.RunAsync("node maintenance braavos --off");
        Assert.Empty(target.Configuration.FindNode("braavos")!.Attributes);
    }

    [Fact]
    public async Task A_move_expires_by_default_and_says_so()
    {
        var target = Target();
        var output = await new Cli(target, Now).RunAsync("resource move g braavos");
        Assert.Contains("'g' prefers 'braavos' until 2026-11-22T07:00:00Z (1h; constraint cli-prefer-g)", output, StringComparison.Ordinal);
        var prefer = Assert.IsType<LocationConstraint>(Assert.Single(target.Configuration.Constraints));
        Assert.Equal(("cli-prefer-g", "g"), (prefer.Id, prefer.Resource));
        var rule = Assert.Single(prefer.Rules);
        Assert.Equal(Score.Infinity, rule.Score);
        Assert.Equal("braavos", rule.Expressions.OfType<AttributeExpression>().Single(e => e.Attribute == "#uname").Value);
        Assert.Equal("2026-11-22T07:00:00Z", rule.Expressions.OfType<DateExpression>().Single().End);
    }

    [Fact]
    public async Task A_move_with_lifetime_forever_stays_until_cleared_and_clear_names_what_it_removed()
    {
        var target = Target();
        var cli = new Cli(target, Now);
        await cli.RunAsync("resource move g braavos --lifetime forever");
        var prefer = Assert.IsType<LocationConstraint>(Assert.Single(target.Configuration.Constraints));
        Assert.Equal(("braavos", Score.Infinity), (prefer.Node, prefer.Score));
        await cli.RunAsync("resource ban ping-clone astapor --lifetime 30min");
        var output = await cli.RunAsync("resource clear g");
        Assert.Contains("removed cli-prefer-g (move to 'braavos')", output, StringComparison.Ordinal);
        Assert.Equal(["cli-ban-ping-clone-on-astapor"], target.Configuration.Constraints.Select(c => c.Id));
        output = await cli.RunAsync("resource clear ping-clone");
        Assert.Contains("removed cli-ban-ping-clone-on-astapor (ban from 'astapor', until 2026-11-22T06:30:00Z)", output, StringComparison.Ordinal);
        Assert.Empty(target.Configuration.Constraints);
        output = await cli.RunAsync("resource clear ping-clone");
        Assert.Contains("'ping-clone' has no move or ban to clear", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promotable_clone_moves_its_promoted_instance()
    {
        var target = Target();
        await new Cli(target, Now).RunAsync("resource move drbd_ms braavos");
        Assert.Equal(Model.Resources.Role.Promoted, Assert.IsType<LocationConstraint>(target.Configuration.Constraints.Single()).Role);
    }

    [Fact]
    public async Task Disable_enable_unmanage_manage_set_and_remove_the_meta_attributes()
    {
        var target = Target();
        var cli = new Cli(target);
        await cli.RunAsync("resource disable g");
        Assert.Equal("Stopped", target.Configuration.FindResource("g")!.UnconditionalMeta["target-role"]);
        await cli.RunAsync("resource unmanage svc");
        Assert.False(target.Configuration.FindResource("svc")!.UnconditionalMeta.IsManaged);
        // Enabling a member also clears what holds it back from its group.
        var output = await cli.RunAsync("resource enable VIP1");
        Assert.Contains("removed target-role=Stopped from 'g'", output, StringComparison.Ordinal);
        Assert.Null(target.Configuration.FindResource("g")!.UnconditionalMeta["target-role"]);
        await cli.RunAsync("resource manage svc");
        Assert.True(target.Configuration.FindResource("svc")!.UnconditionalMeta.IsManaged);
        Assert.Equal(TextParser.Parse(TextPrinter.Print(Target().Configuration)), target.Configuration);
    }

    [Theory]
    [InlineData("resource move nosuch braavos", "unknown resource 'nosuch' (configured: g, VIP1, svc, ")]
    [InlineData("resource move g meereen", "unknown node 'meereen' (nodes: astapor, braavos)")]
    [InlineData("resource move VIP1 braavos", "'VIP1' is in group 'g', which places its members together: move the group")]
    [InlineData("resource move ping-clone braavos", "'ping-clone' is a clone, which runs on several nodes: ban it from a node instead")]
    [InlineData("resource move g astapor --lifetime soon", "invalid --lifetime 'soon'")]
    [InlineData("resource ban g nowhere", "unknown node 'nowhere'")]
    [InlineData("resource disable ghost", "unknown resource 'ghost'")]
    [InlineData("resource clear g meereen", "unknown node 'meereen'")]
    [InlineData("node standby meereen", "unknown node 'meereen' (nodes: astapor, braavos)")]
    [InlineData("resource update svc meta target-role=Sleeping", "target-role: 'Sleeping' is not valid (expected Stopped, Started, Unpromoted or Promoted)")]
    public async Task Bad_input_is_a_clear_error_and_changes_nothing(string commandLine, string expected)
    {
        var target = Target();
        var before = target.Configuration;
        var e = await Assert.ThrowsAsync<CliException>(() => new Cli(target, Now).RunAsync(commandLine));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Same(before, target.Configuration);
        Assert.Equal(0, target.Replaces);
    }

    [Fact]
    public async Task A_move_to_a_banned_node_is_refused_and_says_how_to_lift_the_ban()
    {
        var target = Target();
        var cli = new Cli(target, Now);
        await cli.RunAsync("resource ban g braavos");
        var banned = target.Configuration;
        var e = await Assert.ThrowsAsync<CliException>(() => cli.RunAsync("resource move g braavos"));
        Assert.Equal("'g' is banned from 'braavos' by location constraint 'cli-ban-g-on-braavos'; 'tandem resource clear g braavos' lifts the ban (nothing changed)", e.Message);
        Assert.Same(banned, target.Configuration);
        await cli.RunAsync("constraint location add g avoids astapor id=keep-off");
        Assert.Contains("by location constraint 'keep-off'", (await Assert.ThrowsAsync<CliException>(() => cli.RunAsync("resource move g astapor"))).Message, StringComparison.Ordinal);
    }

    private static ResourcePlacement On(string id, string role, params string[] nodes) => new(id, null, "ocf:heartbeat:Dummy", role, nodes, Managed: true, Failed: false);

    [Fact]
    public async Task Move_and_ban_without_a_node_act_on_the_node_the_resource_is_active_on()
    {
        var target = Target();
        target.Running = _ => [On("VIP1", "Started", "astapor"), On("svc", "Started", "astapor"), On("drbd:0", "Promoted", "braavos"), On("drbd:1", "Unpromoted", "astapor")];
        var cli = new Cli(target, Now);

        var output = await cli.RunAsync("resource move g");
        Assert.Contains("move of 'g' away from 'astapor', where it is active", output, StringComparison.Ordinal);
        // A move without a destination expires like any move: no hidden ban stays behind.
        Assert.Contains("'g' is banned from 'astapor' until 2026-11-22T07:00:00Z (1h; constraint cli-ban-g-on-astapor)", output, StringComparison.Ordinal);
        var ban = Assert.IsType<LocationConstraint>(Assert.Single(target.Configuration.Constraints));
        Assert.Equal(Score.MinusInfinity, Assert.Single(ban.Rules).Score);

        await cli.RunAsync("resource ban drbd_ms");
        var promoted = target.Configuration.Constraints.OfType<LocationConstraint>().Single(c => c.Id == "cli-ban-drbd_ms-on-braavos");
        Assert.Equal((Role.Promoted, "braavos", Score.MinusInfinity), (promoted.Role, promoted.Node, promoted.Score));
    }

    [Theory]
    [InlineData("resource ban ping-clone", "'ping-clone' is active on astapor, braavos: name the node to ban it from")]
    [InlineData("resource move g", "'g' is not active on any node: name the node to move it to")]
    [InlineData("resource move ghost", "unknown resource 'ghost'")]
    [InlineData("resource restart g", "'g' is not active on any node: nothing to restart (nothing changed)")]
    [InlineData("resource restart ghost", "unknown resource 'ghost' (nothing changed)")]
    public async Task Without_a_node_a_resource_active_on_none_or_several_is_a_clear_error(string commandLine, string expected)
    {
        var target = Target();
        target.Running = _ => [On("ping:0", "Started", "astapor"), On("ping:1", "Started", "braavos")];
        var before = target.Configuration;
        var e = await Assert.ThrowsAsync<CliException>(() => new Cli(target, Now).RunAsync(commandLine));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Same(before, target.Configuration);
        Assert.Equal(0, target.Replaces);
    }

    /// <summary>A cluster that stops a resource when its target-role (or its group's) says Stopped, and runs it on astapor otherwise.</summary>
    private static IReadOnlyList<ResourcePlacement> Obedient(ClusterConfiguration configuration) =>
        [.. configuration.AllResources.OfType<Primitive>()
            .Where(p => ResourceEdits.SelfAndContainers(configuration, p.Id).All(r => r.UnconditionalMeta[ResourceMeta.TargetRoleName] != "Stopped"))
            .Select(p => On(p.Id, "Started", "astapor"))];

    [Fact]
    public async Task Restart_stops_through_the_cluster_then_gives_the_resource_back_its_own_target_role()
    {
        var target = Target();
        var cli = new Cli(target, Now);
        await cli.RunAsync("resource update g meta target-role=Started");
        var seen = new List<string>();
        target.Running = configuration =>
        {
            var placements = Obedient(configuration);
            seen.Add(ActiveResources.NodesOf(configuration, placements, "g").Count == 0 ? "stopped" : "active");
            return placements;
        };

        var output = await cli.RunAsync("resource restart g");
        Assert.Equal(["resource update g", "resource restart g: stop", "resource restart g: start"], target.Descriptions);
        Assert.Contains("stopping 'g' (active on astapor)", output, StringComparison.Ordinal);
        Assert.Contains("'g' restarted, active on astapor", output, StringComparison.Ordinal);
        Assert.Contains("stopped", seen);
        Assert.Equal("Started", target.Configuration.FindResource("g")!.UnconditionalMeta[ResourceMeta.TargetRoleName]);
    }

    [Fact]
    public async Task A_restart_whose_stop_does_not_finish_in_time_still_restores_the_target_role()
    {
        var target = Target();
        target.Running = _ => [On("VIP1", "Started", "astapor"), On("svc", "Started", "astapor")];
        var e = await Assert.ThrowsAsync<CliException>(() => new Cli(target, Now).RunAsync("resource restart g --timeout 500ms"));
        Assert.Equal("'g' was still active on astapor after 500ms; its target-role is restored, see 'tandem status'", e.Message);
        Assert.Null(target.Configuration.FindResource("g")!.UnconditionalMeta[ResourceMeta.TargetRoleName]);
        Assert.Equal(2, target.Replaces);
    }

    [Fact]
    public async Task An_unmanaged_resource_is_not_restarted()
    {
        var target = Target();
        var cli = new Cli(target, Now);
        await cli.RunAsync("resource unmanage g");
        target.Running = Obedient;
        var e = await Assert.ThrowsAsync<CliException>(() => cli.RunAsync("resource restart svc"));
        Assert.Equal("'g' is unmanaged (is-managed=false): the cluster would neither stop nor start 'svc' (nothing changed)", e.Message);
        Assert.Equal(1, target.Replaces);
    }
}
