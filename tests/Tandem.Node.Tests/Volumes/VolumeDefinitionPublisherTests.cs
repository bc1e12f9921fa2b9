using Microsoft.Extensions.Logging.Abstractions;
using Tandem.Node.Volumes;

namespace Tandem.Node.Tests.Volumes;

public sealed class VolumeDefinitionPublisherTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tandem-voldef-" + Guid.NewGuid().ToString("N"));

    private VolumeDefinitionPublisher Publisher(string node) =>
        new(new VolumeDefinitionFiles(Path.Combine(_dir, node)), node, NullLogger.Instance);

    [Fact]
    public void A_replica_node_writes_the_definition_root_only_and_answers()
    {
        var answer = Publisher("astapor").OnDelivered(new VolumeDefinitionPublish("r1", "vol1", "{\"a\":1}\n", ["astapor", "braavos"], false));
        Assert.Equal(new VolumeDefinitionWritten("r1", "astapor", null), answer);
        var path = Path.Combine(_dir, "astapor", "vol1.json");
        Assert.Equal("{\"a\":1}\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_node_without_a_replica_ignores_the_publication()
    {
        Assert.Null(Publisher("meereen").OnDelivered(new VolumeDefinitionPublish("r1", "vol1", "{}", ["astapor", "braavos"], false)));
        Assert.False(Directory.Exists(Path.Combine(_dir, "meereen")));
    }

    [Fact]
    public void A_different_definition_is_replaced_only_when_asked_and_an_identical_one_is_accepted()
    {
        var p = Publisher("astapor");
        p.OnDelivered(new VolumeDefinitionPublish("r1", "vol1", "one", ["astapor"], false));
        Assert.Null(Assert.IsType<VolumeDefinitionWritten>(p.OnDelivered(new VolumeDefinitionPublish("r2", "vol1", "one", ["astapor"], false))).Error);
        var refused = Assert.IsType<VolumeDefinitionWritten>(p.OnDelivered(new VolumeDefinitionPublish("r3", "vol1", "two", ["astapor"], false)));
        Assert.Contains("different definition", refused.Error, StringComparison.Ordinal);
        Assert.Equal("one", File.ReadAllText(Path.Combine(_dir, "astapor", "vol1.json")));
        Assert.Null(Assert.IsType<VolumeDefinitionWritten>(p.OnDelivered(new VolumeDefinitionPublish("r4", "vol1", "two", ["astapor"], true))).Error);
        Assert.Equal("two", File.ReadAllText(Path.Combine(_dir, "astapor", "vol1.json")));
    }

    [Fact]
    public void A_name_that_could_leave_the_directory_is_refused()
    {
        var answer = Assert.IsType<VolumeDefinitionWritten>(Publisher("astapor").OnDelivered(new VolumeDefinitionPublish("r1", "../x", "{}", ["astapor"], false)));
        Assert.NotNull(answer.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
    }

    [Fact]
    public async Task Publishing_waits_for_every_replica_and_reports_the_silent_one()
    {
        var here = Publisher("astapor");
        var there = Publisher("braavos");
        // A bus that delivers to both daemons; braavos answers only when it is "up".
        var braavosUp = true;
        async Task<bool> Send(DaemonMessage m, CancellationToken ct)
        {
            await Task.Yield();
            foreach (var reply in new[] { here.OnDelivered(m), braavosUp ? there.OnDelivered(m) : null }.OfType<DaemonMessage>())
            {
                here.OnDelivered(reply);
            }
            return true;
        }
        var all = await here.PublishAsync("vol1", "doc", ["astapor", "braavos"], false, Send, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(["astapor", "braavos"], all.Keys.Order(StringComparer.Ordinal));
        Assert.All(all.Values, Assert.Null);

        braavosUp = false;
        var partial = await here.PublishAsync("vol2", "doc", ["astapor", "braavos"], false, Send, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(["astapor"], partial.Keys);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
