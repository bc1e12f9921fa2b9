using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Node.Configuration;
using Tandem.Node.Coordination;
using Tandem.Node.Fencing;
using Tandem.Node.Membership;
using Tandem.Node.Status;
using Tandem.Node.Volumes;

namespace Tandem.Node;

/// <summary>
/// A message between daemons on the cluster bus. The wire form is UTF-8 JSON with a type
/// discriminator and a protocol version, so a daemon recognises (and refuses) what it cannot read.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ViewHello), "hello")]
[JsonDerivedType(typeof(ConfigChange), "config-change")]
[JsonDerivedType(typeof(ConfigFull), "config-full")]
[JsonDerivedType(typeof(StatusUpdate), "status-update")]
[JsonDerivedType(typeof(NodeStatusAnnounce), "status-announce")]
[JsonDerivedType(typeof(ExecuteAction), "execute")]
[JsonDerivedType(typeof(VolumeDefinitionPublish), "volume-definition")]
[JsonDerivedType(typeof(VolumeDefinitionWritten), "volume-definition-written")]
[JsonDerivedType(typeof(FenceRequest), "fence-request")]
[JsonDerivedType(typeof(FenceResult), "fence-result")]
public abstract record DaemonMessage
{
    public const int ProtocolVersion = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public int Protocol { get; init; } = ProtocolVersion;

    public byte[] Encode() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>Decodes a message; a one-line reason instead of an exception for anything unreadable.</summary>
    public static DaemonMessage? TryDecode(ReadOnlySpan<byte> payload, out string? error)
    {
        try
        {
            var message = JsonSerializer.Deserialize<DaemonMessage>(payload, Options);
            if (message is null)
            {
                error = "empty message";
                return null;
            }
            if (message.Protocol != ProtocolVersion)
            {
                error = $"protocol version {message.Protocol}, this daemon speaks {ProtocolVersion}";
                return null;
            }
            error = null;
            return message;
        }
        catch (JsonException e)
        {
            error = $"unreadable message: {e.Message}";
            return null;
        }
        catch (NotSupportedException e)
        {
            error = $"unknown message: {e.Message}";
            return null;
        }
    }
}
