using Tandem.Cli.Commands;

namespace Tandem.Cli.Tests;

/// <summary>`tandem simulate -x` and `tandem explain -x` on broken CIB files: one line naming the element.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tandem-simulate-tests-");

    public void Dispose() => _directory.Delete(recursive: true);

    private FileInfo Write(string xml)
    {
        var file = new FileInfo(Path.Combine(_directory.FullName, "cib.xml"));
        File.WriteAllText(file.FullName, xml);
        return file;
    }

    private const string Head = "<cib>\n<configuration>\n<crm_config/>\n<nodes><node id=\"1\" uname=\"n1\"/></nodes>\n<resources>\n";
    private const string Tail = "</resources>\n<constraints/>\n</configuration>\n<status/>\n</cib>\n";

    [Fact]
    public void UnclosedElementIsOneLineNamingItAndItsLine()
    {
        var file = Write(Head + "<primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">\n" + Tail);
        var error = Assert.Throws<CliException>(() => SimulateCommand.Load(file));
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("cib.xml: line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'primitive'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ElementWithoutItsIdIsOneLineNamingItAndItsLine()
    {
        var file = Write(Head + "<primitive class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>\n" + Tail);
        var error = Assert.Throws<CliException>(() => SimulateCommand.Load(file));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("line 6", error.Message, StringComparison.Ordinal);
        Assert.Contains("primitive", error.Message, StringComparison.Ordinal);
        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstraintWithoutItsResourceIsOneLineNamingIt()
    {
        var file = Write(Head + "<primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>\n</resources>\n<constraints>\n"
                         + "<rsc_location id=\"pin\" node=\"n1\" score=\"100\"/>\n</constraints>\n</configuration>\n<status/>\n</cib>\n");
        var error = Assert.Throws<CliException>(() => SimulateCommand.Load(file));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("rsc_location", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotXmlAtAllIsOneLine()
    {
        var error = Assert.Throws<CliException>(() => SimulateCommand.Load(Write("this is not a CIB")));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("malformed XML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WellFormedCibLoads()
    {
        var cib = SimulateCommand.Load(Write(Head + "<primitive id=\"db\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>\n" + Tail));
        Assert.Single(cib.Configuration.Resources);
    }
}
