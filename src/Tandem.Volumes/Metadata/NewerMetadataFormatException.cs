namespace Tandem.Volumes.Metadata;

/// <summary>
/// The replica's metadata was written by a newer Tandem (found after a downgrade). Read as "no metadata" it
/// would invite a create-md that destroys the generation identifiers and the out-of-sync bitmap, so it is
/// refused instead (an IOException, not the InvalidDataException of missing metadata), and create-md
/// without --force keeps its hands off.
/// </summary>
public sealed class NewerMetadataFormatException(ushort foundVersion, string volumeName = "")
    : IOException($"{(volumeName.Length > 0 ? volumeName + ": " : "")}metadata format version {foundVersion} was written by a newer Tandem (this one reads version {DoubleBufferedRecords.FormatVersion}); upgrade Tandem on this node, do not recreate the metadata")
{
    public ushort FoundVersion { get; } = foundVersion;
}
