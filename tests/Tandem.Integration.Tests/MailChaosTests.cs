using System.Security.Cryptography;
using System.Text.Json;
using Tandem.Integration.Tests.Infrastructure;
using Tandem.Lab;

namespace Tandem.Integration.Tests;

/// <summary>
/// Issue 9, acceptance 1: `tandem lab chaos` builds the mail scenario (two nodes, the quorum device,
/// power fencing), sends mail throughout five faults of five kinds — switchover, hard kill of the active
/// node and its return, kill of the Postfix master, replication link cut and heal under load, split decided
/// by the quorum device — and not one accepted message is lost or duplicated, and the two replicas are
/// identical once connected and in sync.
/// </summary>
[Trait("Category", "Lab")]
[Collection(LabCollection.Name)]
public class MailChaosTests
{
    [Fact]
    public async Task Five_faults_of_five_kinds_lose_no_accepted_message_and_leave_identical_replicas()
    {
        var name = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var result = await TandemCli.RunAsync(TimeSpan.FromMinutes(40), "lab", "chaos", "--name", name, "--seed", "9", "--faults", "5", "--rate", "5", "--json");
        try
        {
            Assert.True(result.ExitCode is 0 or 1, $"tandem lab chaos exited {result.ExitCode}: {result.StandardError}");
            using var report = JsonDocument.Parse(result.StandardOutput);
            var root = report.RootElement;
            var faults = root.GetProperty("faults").EnumerateArray().ToList();
            Assert.True(faults.Count == 5, $"{faults.Count} faults run: {root.GetProperty("problem")}\n{result.StandardError}");
            Assert.Equal(5, faults.Select(f => f.GetProperty("kind").GetString()).Distinct().Count());
            Assert.All(faults, f => Assert.True(f.GetProperty("recovered").GetBoolean(), $"not recovered: {f}"));

            var mail = root.GetProperty("mail");
            Assert.True(mail.GetProperty("accepted").GetInt32() > 100, $"too little mail accepted to mean anything: {mail}");
            Assert.Equal(0, mail.GetProperty("lost").GetArrayLength());
            Assert.Equal(0, mail.GetProperty("duplicated").GetArrayLength());
            Assert.Equal(0, mail.GetProperty("unexpected").GetArrayLength());
            Assert.Equal(mail.GetProperty("accepted").GetInt32(), mail.GetProperty("delivered").GetInt32());

            var sums = root.GetProperty("replicaChecksums").EnumerateObject().Select(p => p.Value.GetString()).ToList();
            Assert.Equal(2, sums.Count);
            Assert.Equal(sums[0], sums[1]);
            Assert.True(root.GetProperty("passed").GetBoolean(), result.StandardOutput);
            Assert.Equal(0, result.ExitCode);
        }
        finally
        {
            // The chaos run removes the lab it built; make sure, also when it failed half-way.
            await TandemCli.RunAsync(TimeSpan.FromMinutes(3), "lab", "down", "--name", name);
        }
        Assert.Empty(Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Where(f => Path.GetFileName(f).StartsWith(new LabLayout(name).NamespacePrefix, StringComparison.Ordinal)) : []);
    }
}
