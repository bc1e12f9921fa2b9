using System.Security.Cryptography;
using Tandem.Deployment.Cluster;

namespace Tandem.Deployment.Tests.Cluster;

public sealed class JoinTokenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tandem-tokens-").FullName;
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private JoinTokenStore Store => new(Path.Combine(_dir, "join-tokens.json"), _time);

    [Fact]
    public void A_token_prints_and_parses_back_whole()
    {
        var token = new JoinToken("braavos", 7450, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var back = JoinToken.Parse(token.Format());
        Assert.Equal(token.Node, back.Node);
        Assert.Equal(token.Port, back.Port);
        Assert.Equal(token.Fingerprint, back.Fingerprint);
        Assert.Equal(token.Secret, back.Secret);
        Assert.DoesNotContain(Convert.ToBase64String(token.Secret), token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("tandem1.!!!")]
    [InlineData("tandem1.eyJOIjoiYiJ9")]
    public void Malformed_tokens_are_one_line_errors(string text)
    {
        var e = Assert.Throws<DeploymentException>(() => JoinToken.Parse(text));
        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_is_accepted_once_for_its_node()
    {
        var token = Store.Issue("braavos", 7450, new byte[32]);
        Assert.Equal(RedeemOutcome.OtherNode, Store.Redeem("meereen", token.Secret).Outcome);
        Assert.Equal(RedeemOutcome.Accepted, Store.Redeem("braavos", token.Secret).Outcome);
        Assert.Equal(RedeemOutcome.AlreadyUsed, Store.Redeem("braavos", token.Secret).Outcome);
        Assert.Equal(RedeemOutcome.UnknownToken, Store.Redeem("braavos", RandomNumberGenerator.GetBytes(32)).Outcome);
    }

    [Fact]
    public void A_token_expires_and_a_new_one_replaces_the_unused_old_one()
    {
        var old = Store.Issue("braavos", 7450, new byte[32]);
        var fresh = Store.Issue("braavos", 7450, new byte[32]);
        Assert.Equal(RedeemOutcome.UnknownToken, Store.Redeem("braavos", old.Secret).Outcome);
        _time.Now += JoinTokenStore.DefaultLifetime + TimeSpan.FromSeconds(1);
        Assert.Equal(RedeemOutcome.Expired, Store.Redeem("braavos", fresh.Secret).Outcome);
    }

    [Fact]
    public void The_store_keeps_hashes_never_secrets()
    {
        var token = Store.Issue("braavos", 7450, new byte[32]);
        var text = File.ReadAllText(Path.Combine(_dir, "join-tokens.json"));
        Assert.DoesNotContain(Convert.ToHexStringLower(token.Secret), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(token.Secret), text, StringComparison.Ordinal);
        Assert.Contains("\"formatVersion\": 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_file_of_a_newer_format_is_refused_and_left_as_it_is()
    {
        Store.Issue("braavos", 7450, new byte[32]);
        var path = Path.Combine(_dir, "join-tokens.json");
        var newer = File.ReadAllText(path).Replace("\"formatVersion\": 1", "\"formatVersion\": 2", StringComparison.Ordinal);
        File.WriteAllText(path, newer);
        var e = Assert.Throws<DeploymentException>(() => Store.Issue("braavos", 7450, new byte[32]));
        Assert.Contains("format version 2 was written by a newer Tandem (this one reads 1)", e.Message, StringComparison.Ordinal);
        Assert.Equal(newer, File.ReadAllText(path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
