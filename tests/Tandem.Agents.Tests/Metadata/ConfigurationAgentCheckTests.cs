using Tandem.Agents.Metadata;
using Tandem.Model.Cib;
using Tandem.Model.Diagnostics;

namespace Tandem.Agents.Tests.Metadata;

/// <summary>Configurations checked against agents' metadata, with the metadata served from memory.</summary>
public class ConfigurationAgentCheckTests
{
    private sealed class Source : IAgentMetadataSource
    {
        public Task<AgentMetadata> GetAsync(AgentName agent, CancellationToken cancellationToken = default) =>
            agent.ToString() == "ocf:heartbeat:IPaddr2"
                ? Task.FromResult(new AgentMetadata("IPaddr2", "1.0", "Manages virtual IPs", null,
                    [
                        new ParameterMetadata("ip", true, true, false, false, "string", null, "IP address", null),
                        new ParameterMetadata("cidr_netmask", false, false, false, false, "integer", null, "netmask", null),
                        new ParameterMetadata("nic", false, false, false, false, "string", null, "interface", null),
                    ],
                    [new ActionMetadata("start", 20_000, null, null, null), new ActionMetadata("monitor", 20_000, 10_000, 0, null)]))
                : throw new MetadataException($"agent {agent} is not installed (/usr/lib/ocf/resource.d/{agent.Provider}/{agent.Type} does not exist)");
    }

    private static string Cib(string resources) => $$"""
        <cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
          <configuration><crm_config/><nodes/><resources>{{resources}}</resources><constraints/></configuration>
          <status/>
        </cib>
        """;

    [Fact]
    public async Task A_valid_primitive_has_no_findings()
    {
        var cib = CibImport.Parse(Cib("""
            <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
              <instance_attributes id="vip-ia"><nvpair id="vip-ip" name="ip" value="192.0.2.100"/><nvpair id="vip-nm" name="cidr_netmask" value="24"/></instance_attributes>
              <operations><op id="vip-mon" name="monitor" interval="10s" timeout="20s"/></operations>
            </primitive>
            """));
        Assert.Empty(await ConfigurationAgentCheck.CheckAsync(cib.Configuration, new Source()));
    }

    [Fact]
    public async Task Missing_unknown_and_ill_typed_parameters_bad_operations_and_absent_agents()
    {
        var cib = CibImport.Parse(Cib("""
            <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
              <instance_attributes id="vip-ia"><nvpair id="vip-nm" name="cidr_netmask" value="twentyfour"/><nvpair id="vip-n" name="nics" value="eth0"/></instance_attributes>
              <operations>
                <op id="vip-start" name="start" interval="0" timeout="5s"/>
                <op id="vip-promote" name="promote" interval="0"/>
              </operations>
            </primitive>
            <group id="g"><primitive id="fs" class="ocf" provider="heartbeat" type="Filesystem"/></group>
            """));
        var found = (await ConfigurationAgentCheck.CheckAsync(cib.Configuration, new Source())).Select(d => d.ToString()).ToList();
        Assert.Equal(
        [
            "error: vip: parameter 'ip' is required by ocf:heartbeat:IPaddr2 (at resources/primitive[id=vip]/params/ip)",
            "warning: vip: parameter 'cidr_netmask' of ocf:heartbeat:IPaddr2: 'twentyfour' is not an integer (at resources/primitive[id=vip]/params/cidr_netmask)",
            "warning: vip: 'nics' is not a parameter of ocf:heartbeat:IPaddr2 (did you mean 'nic'?) (at resources/primitive[id=vip]/params/nics)",
            "warning: vip: start timeout 5s is below the 20s that ocf:heartbeat:IPaddr2 advises (at resources/primitive[id=vip]/operations/op[id=vip-start])",
            "warning: vip: ocf:heartbeat:IPaddr2 has no action 'promote' (it declares start, monitor) (at resources/primitive[id=vip]/operations/op[id=vip-promote])",
            "error: fs: agent ocf:heartbeat:Filesystem is not installed (/usr/lib/ocf/resource.d/heartbeat/Filesystem does not exist) (at resources/primitive[id=fs])",
        ], found);
        Assert.Equal(2, (await ConfigurationAgentCheck.CheckAsync(cib.Configuration, new Source())).Count(d => d.Severity == DiagnosticSeverity.Error));
    }
}
