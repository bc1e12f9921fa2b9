using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;

namespace Tandem.Integration.Tests;

/// <summary>The mail scenario's cluster configuration passes Tandem's own verification (no lab needed).</summary>
public class MailScenarioConfigurationTests
{
    [Fact]
    public async Task The_scenario_configuration_is_a_valid_cluster_configuration_shaped_as_the_seed()
    {
        var text = MailScenario.ConfigurationText(["astapor", "braavos"], "/usr/local/bin/tandem");
        var file = Path.Combine(Path.GetTempPath(), $"mail-{Guid.NewGuid():N}.crm");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var verify = await TandemCli.RunAsync(TimeSpan.FromSeconds(60), "verify", "--file", file);
            Assert.True(verify.ExitCode is 0, $"tandem verify: {verify.StandardError}{verify.StandardOutput}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
