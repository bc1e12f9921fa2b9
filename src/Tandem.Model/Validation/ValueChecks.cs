using Tandem.Model.Attributes;
using Tandem.Model.Collections;
using Tandem.Model.Diagnostics;

namespace Tandem.Model.Validation;

/// <summary>
/// Values of known meta attributes and cluster options that do not parse (Pacemaker silently uses the
/// default for them), probable typos of known names, and resource options written as cluster properties.
/// </summary>
internal static class ValueChecks
{
    public static void Check(ClusterConfiguration c, List<Diagnostic> findings)
    {
        foreach (var resource in c.AllResources)
        {
            CheckMeta(resource.Meta, $"{Paths.Kind(resource)} '{resource.Id}'", Paths.Of(resource), findings);
        }
        foreach (var template in c.Templates)
        {
            CheckMeta(template.Meta, $"template '{template.Id}'", $"resources/template[id={template.Id}]", findings);
        }
        CheckMeta(c.ResourceDefaults, "rsc_defaults", "rsc_defaults", findings);
        CheckMeta(c.OperationDefaults, "op_defaults", "op_defaults", findings);
        CheckProperties(c.Properties, findings);
    }

    private static void CheckMeta(ValueList<AttributeSet> sets, string owner, string path, List<Diagnostic> findings)
    {
        foreach (var pair in sets.SelectMany(s => s.Pairs))
        {
            if (KnownOptions.Meta.TryGetValue(pair.Name, out var kind))
            {
                CheckValue(pair, kind, owner, path, findings);
            }
            else if (KnownOptions.Suggest(pair.Name, KnownOptions.Meta.Keys) is { } suggestion)
            {
                findings.Add(new Diagnostic(DiagnosticSeverity.Warning, path,
                    $"{owner}: unknown meta attribute '{pair.Name}' (did you mean '{suggestion}'?); it has no effect") { Code = "unknown-option" });
            }
        }
    }

    private static void CheckProperties(ValueList<AttributeSet> sets, List<Diagnostic> findings)
    {
        foreach (var set in sets)
        {
            var path = $"crm_config/cluster_property_set[id={set.Id}]";
            foreach (var pair in set.Pairs)
            {
                if (KnownOptions.Properties.TryGetValue(pair.Name, out var kind))
                {
                    CheckValue(pair, kind, "cluster property", path, findings);
                }
                else if (KnownOptions.ResourceOptionsAsProperties.TryGetValue(pair.Name, out var option))
                {
                    findings.Add(new Diagnostic(DiagnosticSeverity.Warning, path,
                        $"'{pair.Name}' is not a cluster property: Pacemaker ignores it here, so no resource gets it. " +
                        $"It is a resource option: set it as a resource default (rsc_defaults {option}={pair.Value})") { Code = "resource-option-as-property" });
                }
                else if (KnownOptions.Suggest(pair.Name, KnownOptions.Properties.Keys) is { } suggestion)
                {
                    findings.Add(new Diagnostic(DiagnosticSeverity.Warning, path,
                        $"unknown cluster property '{pair.Name}' (did you mean '{suggestion}'?); it has no effect") { Code = "unknown-option" });
                }
            }
        }
    }

    private static void CheckValue(NvPair pair, ValueKind kind, string owner, string path, List<Diagnostic> findings)
    {
        // "#default" is Pacemaker's way of saying "as if unset".
        if (pair.Value is { } value && value != "#default" && !kind.Accepts(value))
        {
            findings.Add(new Diagnostic(DiagnosticSeverity.Error, path,
                $"{owner}: {pair.Name}='{value}' is not valid (expected {kind.Expected}); the cluster may not read it as you mean") { Code = "invalid-value" });
        }
    }
}
