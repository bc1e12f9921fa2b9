using System.Xml.Linq;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;

namespace Tandem.Model.Cib;

/// <summary>
/// The result of reading a CIB: the root's attributes, the configuration, what the import noticed
/// (unsupported features, invalid values and how they were read), and the parsed document itself so
/// that the status section (operation history, node state) can be read by its own reader.
/// </summary>
public sealed record CibDocument(CibHeader Header, ClusterConfiguration Configuration, ValueList<Diagnostic> Diagnostics, XElement Root)
{
    /// <summary>The &lt;status&gt; element, or null when the CIB has none.</summary>
    public XElement? Status => Root.Element("status");

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
}
