using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tandem.Corosync.Native;

namespace Tandem.Corosync.Tests;

/// <summary>
/// The managed mirrors of corosync's structs have the sizes and offsets of the C ones. The expected numbers
/// were printed by gcc (x86_64) from corosync v3.1.7's own headers with sizeof/offsetof; a wrong field
/// type or order here would corrupt memory in the libraries.
/// </summary>
public sealed class NativeLayoutTests
{
    [Fact]
    public void Cpg_structs_match_cpg_h()
    {
        Assert.Equal(132, Unsafe.SizeOf<Cpg.Name>());
        Assert.Equal(12, Unsafe.SizeOf<Cpg.Address>());
        Assert.Equal(16, Unsafe.SizeOf<Cpg.RingId>());
        Assert.Equal(16, Unsafe.SizeOf<Cpg.IoVec>());
        Assert.Equal(40, Unsafe.SizeOf<Cpg.ModelV1Data>());
        Assert.Equal(24, (int)Marshal.OffsetOf<Cpg.ModelV1Data>(nameof(Cpg.ModelV1Data.TotemConfchg)));
        Assert.Equal(32, (int)Marshal.OffsetOf<Cpg.ModelV1Data>(nameof(Cpg.ModelV1Data.Flags)));
    }

    [Fact]
    public void Quorum_structs_match_quorum_h()
    {
        Assert.Equal(16, Unsafe.SizeOf<Quorum.RingId>());
        Assert.Equal(24, Unsafe.SizeOf<Quorum.ModelV1Data>());
    }

    [Fact]
    public void Votequorum_info_matches_votequorum_h()
    {
        Assert.Equal(292, Unsafe.SizeOf<Votequorum.Info>());
        Assert.Equal(28, (int)Marshal.OffsetOf<Votequorum.Info>(nameof(Votequorum.Info.Flags)));
    }

    [Fact]
    public void Cfg_node_status_matches_cfg_h()
    {
        Assert.Equal(520, Unsafe.SizeOf<Cfg.KnetLinkStatusV1>());
        Assert.Equal(4, (int)Marshal.OffsetOf<Cfg.KnetLinkStatusV1>(nameof(Cfg.KnetLinkStatusV1.Mtu)));
        Assert.Equal(4176, Unsafe.SizeOf<Cfg.NodeStatusV1Data>());
        Assert.Equal(16, (int)Marshal.OffsetOf<Cfg.NodeStatusV1Data>(nameof(Cfg.NodeStatusV1Data.Links)));
    }

    [Fact]
    public void Pollfd_matches_poll_h()
    {
        Assert.Equal(8, Unsafe.SizeOf<Libc.PollFd>());
    }

    [Fact]
    public void A_group_name_too_long_for_cpg_is_refused_naming_the_limit()
    {
        var error = Assert.Throws<ArgumentException>(() => CorosyncConnection.GroupName(new string('g', 128)));
        Assert.StartsWith("group name 'ggg", error.Message);
        Assert.Contains("1 to 127 bytes", error.Message);
        Assert.Equal(127u, CorosyncConnection.GroupName(new string('g', 127)).Length);
    }
}
