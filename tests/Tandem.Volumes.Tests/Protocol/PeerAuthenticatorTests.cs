using Tandem.Volumes.Protocol;

namespace Tandem.Volumes.Tests.Protocol;

public class PeerAuthenticatorTests
{
    private readonly byte[] _nonceA = PeerAuthenticator.NewNonce();
    private readonly byte[] _nonceB = PeerAuthenticator.NewNonce();

    [Fact]
    public void The_same_secret_proves_both_ways()
    {
        var a = new PeerAuthenticator("0123456789abcdef", "vol");
        var b = new PeerAuthenticator("0123456789abcdef", "vol");
        Assert.True(b.Verify("a", "b", _nonceB, _nonceA, a.Prove("a", "b", _nonceB, _nonceA)));
        Assert.True(a.Verify("b", "a", _nonceA, _nonceB, b.Prove("b", "a", _nonceA, _nonceB)));
    }

    [Fact]
    public void A_wrong_secret_fails()
    {
        var a = new PeerAuthenticator("wrong-secret-0000000", "vol");
        var b = new PeerAuthenticator("0123456789abcdef", "vol");
        Assert.False(b.Verify("a", "b", _nonceB, _nonceA, a.Prove("a", "b", _nonceB, _nonceA)));
    }

    [Fact]
    public void A_proof_cannot_be_reflected_or_replayed()
    {
        var b = new PeerAuthenticator("0123456789abcdef", "vol");
        var proofFromB = b.Prove("b", "a", _nonceA, _nonceB);
        // Reflected back to b as if a had made it.
        Assert.False(b.Verify("a", "b", _nonceB, _nonceA, proofFromB));
        // Replayed against a new challenge.
        Assert.False(b.Verify("b", "a", PeerAuthenticator.NewNonce(), _nonceB, proofFromB));
        // For another volume.
        Assert.False(new PeerAuthenticator("0123456789abcdef", "other").Verify("b", "a", _nonceA, _nonceB, proofFromB));
    }
}
