using System.Xml;
using System.Xml.Linq;

namespace Tandem.Model.Cib;

/// <summary>
/// Reads Pacemaker CIB XML (schemas pacemaker-1.x to 3.x) into the model. Tolerant as Pacemaker is:
/// invalid values are read as Pacemaker would read them and reported, unknown and unsupported elements
/// and attributes are reported by name; only unreadable XML is an exception.
/// </summary>
public static class CibImport
{
    /// <exception cref="CibFormatException">The text is not well-formed XML or has no &lt;configuration&gt;.</exception>
    public static CibDocument Parse(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new CibFormatException($"malformed XML: {FirstSentence(e.Message)}", e.LineNumber > 0 ? e.LineNumber : null);
        }
        return FromXml(document.Root!);
    }

    /// <summary>Reads a CIB from an already parsed root element (&lt;cib&gt;, or a bare &lt;configuration&gt;).</summary>
    public static CibDocument FromXml(XElement root) => new CibReader(root).Read();

    // XmlException messages end with " Line 3, position 5."; the line is reported separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
