using System.Globalization;
using System.Text.Json;
using Tandem.Bus;

namespace Tandem.Corosync.Tests.Lab;

/// <summary>
/// The guarantees the in-memory twin is property-tested for, checked on what the real bus printed:
/// views are well formed, the first view after connecting names only this member as joined, and messages
/// arrive only inside a view from one of its members.
/// </summary>
internal static class StreamChecks
{
    public static void AssertWellFormed(Probe probe)
    {
        string? self = null;
        List<BusMember>? view = null;
        foreach (var line in probe.Lines)
        {
            switch (Probe.Event(line))
            {
                case "connected":
                    Assert.Null(view);
                    self = line.GetProperty("self").GetString();
                    break;
                case "disconnected":
                    view = null;
                    break;
                case "view":
                    var members = Members(line, "members");
                    var left = Members(line, "left");
                    var joined = Members(line, "joined");
                    var me = Parse(self!);
                    Assert.Equal(members.Order(), members);
                    Assert.Contains(me, members);
                    Assert.Equal(left.Select(m => m.ToString()).Order(), line.GetProperty("leftReasons").EnumerateObject().Select(p => p.Name).Order());
                    if (view is null)
                    {
                        Assert.Empty(left);
                        Assert.Equal([me], joined);
                    }
                    else
                    {
                        Assert.All(left, m => Assert.Contains(m, view));
                        Assert.All(joined, m => Assert.DoesNotContain(m, view));
                        Assert.Equal(view.Except(left).Concat(joined).Order(), members);
                    }
                    view = members;
                    break;
                case "message":
                    Assert.True(view is not null, $"probe on {probe.Node} delivered a message outside a view");
                    Assert.Contains(Parse(line.GetProperty("sender").GetString()!), view!);
                    break;
            }
        }
    }

    private static List<BusMember> Members(JsonElement line, string property) =>
        [.. line.GetProperty(property).EnumerateArray().Select(e => Parse(e.GetString()!))];

    private static BusMember Parse(string text)
    {
        var parts = text.Split('/');
        return new BusMember(uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
