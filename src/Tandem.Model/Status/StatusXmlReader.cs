using System.Globalization;
using System.Xml.Linq;

namespace Tandem.Model.Status;

/// <summary>
/// Reads the CIB <c>status</c> section. Entries Pacemaker would ignore (a node_state without id or uname,
/// an lrm_resource without id, an lrm_rsc_op without an operation) are skipped the same way, so a saved
/// CIB that Pacemaker accepts is read in full.
/// </summary>
public static class StatusXmlReader
{
    public static StatusSection Read(XElement? status)
    {
        if (status is null)
        {
            return StatusSection.Empty;
        }
        var nodes = new List<NodeState>();
        var tickets = new List<TicketState>();
        foreach (var child in status.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "node_state":
                    var node = ReadNodeState(child);
                    if (node is not null)
                    {
                        nodes.Add(node);
                    }
                    break;
                case "tickets":
                    tickets.AddRange(ReadTickets(child));
                    break;
            }
        }
        return new StatusSection(nodes, tickets);
    }

    private static NodeState? ReadNodeState(XElement element)
    {
        var id = Attr(element, "id");
        var uname = Attr(element, "uname");
        if (id is null || uname is null)
        {
            return null;
        }
        var lrm = element.Element("lrm");
        var resources = new List<ResourceHistory>();
        var lrmResources = lrm?.Element("lrm_resources");
        if (lrmResources is not null)
        {
            foreach (var rsc in lrmResources.Elements("lrm_resource"))
            {
                var history = ReadResource(rsc);
                if (history is not null)
                {
                    resources.Add(history);
                }
            }
        }
        return new NodeState
        {
            Id = id,
            Uname = uname,
            InCcm = Attr(element, "in_ccm"),
            Crmd = Attr(element, "crmd"),
            Join = Attr(element, "join"),
            Expected = Attr(element, "expected"),
            RemoteNode = Attr(element, "remote_node"),
            NodeFenced = Attr(element, "node_fenced"),
            InMaintenance = Attr(element, "node_in_maintenance"),
            TransientAttributes = ReadAttributeSets(element.Element("transient_attributes")),
            HasResourceHistory = lrm is not null,
            Resources = resources,
        };
    }

    /// <summary>Reads the instance_attributes sets under a transient_attributes element.</summary>
    public static IReadOnlyList<AttributeSet> ReadAttributeSets(XElement? container)
    {
        if (container is null)
        {
            return [];
        }
        var sets = new List<AttributeSet>();
        foreach (var set in container.Elements("instance_attributes"))
        {
            var values = new List<KeyValuePair<string, string>>();
            foreach (var pair in set.Elements("nvpair"))
            {
                var name = Attr(pair, "name");
                var value = Attr(pair, "value");
                if (name is not null && value is not null)
                {
                    values.Add(new(name, value));
                }
            }
            sets.Add(new AttributeSet(Attr(set, "id") ?? "", ParseScore(Attr(set, "score")), values));
        }
        return sets;
    }

    private static ResourceHistory? ReadResource(XElement element)
    {
        var id = Attr(element, "id");
        if (id is null)
        {
            return null;
        }
        var ops = new List<OperationRecord>();
        foreach (var op in element.Elements("lrm_rsc_op"))
        {
            var record = ReadOperation(op);
            if (record is not null)
            {
                ops.Add(record);
            }
        }
        return new ResourceHistory
        {
            Id = id,
            Class = Attr(element, "class"),
            Provider = Attr(element, "provider"),
            Type = Attr(element, "type"),
            Container = Attr(element, "container"),
            ShutdownLock = ParseLong(Attr(element, "shutdown-lock")),
            Operations = ops,
        };
    }

    private static OperationRecord? ReadOperation(XElement element)
    {
        var id = Attr(element, "id");
        var operation = Attr(element, "operation");
        if (id is null || operation is null)
        {
            return null;
        }
        return new OperationRecord
        {
            Id = id,
            Operation = operation,
            OperationKey = Attr(element, "operation_key"),
            IntervalMs = (uint)Math.Clamp(ParseLong(Attr(element, "interval")) ?? 0, 0, uint.MaxValue),
            CallId = ParseInt(Attr(element, "call-id")),
            RcCode = ParseInt(Attr(element, "rc-code")),
            OpStatus = ParseInt(Attr(element, "op-status")),
            LastRcChange = ParseLong(Attr(element, "last-rc-change") ?? Attr(element, "last_rc_change")),
            LastRun = ParseLong(Attr(element, "last-run") ?? Attr(element, "last_run")),
            ExecTimeMs = ParseLong(Attr(element, "exec-time") ?? Attr(element, "exec_time")),
            QueueTimeMs = ParseLong(Attr(element, "queue-time") ?? Attr(element, "queue_time")),
            TransitionKey = TransitionKey.TryParse(Attr(element, "transition-key")),
            TransitionMagic = Attr(element, "transition-magic"),
            OpDigest = Attr(element, "op-digest"),
            OpRestartDigest = Attr(element, "op-restart-digest"),
            OpForceRestart = Attr(element, "op-force-restart"),
            OpSecureParams = Attr(element, "op-secure-params"),
            OpSecureDigest = Attr(element, "op-secure-digest"),
            MigrateSource = Attr(element, "migrate_source"),
            MigrateTarget = Attr(element, "migrate_target"),
            ExitReason = Attr(element, "exit-reason"),
            OnNode = Attr(element, "on_node"),
            CrmFeatureSet = Attr(element, "crm_feature_set"),
        };
    }

    private static IEnumerable<TicketState> ReadTickets(XElement element)
    {
        foreach (var ticket in element.Elements("ticket_state"))
        {
            var id = Attr(ticket, "id");
            if (id is null)
            {
                continue;
            }
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var attribute in ticket.Attributes())
            {
                if (attribute.Name.LocalName != "id")
                {
                    attributes[attribute.Name.LocalName] = attribute.Value;
                }
            }
            yield return new TicketState(id, attributes);
        }
    }

    private static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

    /// <summary>Parses a leading integer the way C's strtol does (trailing text ignored); null if none.</summary>
    public static long? ParseLong(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var span = text.AsSpan().TrimStart();
        var end = 0;
        if (end < span.Length && (span[end] == '-' || span[end] == '+'))
        {
            end++;
        }
        var digitsStart = end;
        while (end < span.Length && char.IsAsciiDigit(span[end]))
        {
            end++;
        }
        if (end == digitsStart)
        {
            return null;
        }
        return long.TryParse(span[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : (span[0] == '-' ? long.MinValue : long.MaxValue);
    }

    public static int? ParseInt(string? text)
    {
        var value = ParseLong(text);
        return value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);
    }

    private static int ParseScore(string? text)
    {
        if (text is null)
        {
            return 0;
        }
        var lowered = text.Trim().ToLowerInvariant();
        return lowered switch
        {
            "infinity" or "+infinity" => 1_000_000,
            "-infinity" => -1_000_000,
            _ => (int)Math.Clamp(ParseLong(text) ?? 0, -1_000_000, 1_000_000),
        };
    }
}
