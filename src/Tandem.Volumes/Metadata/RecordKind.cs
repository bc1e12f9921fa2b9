namespace Tandem.Volumes.Metadata;

/// <summary>What a metadata record holds; stored in its header so a misplaced write is never believed.</summary>
public enum RecordKind : ushort
{
    Superblock = 1,
    ActivityLog = 2,
    BitmapPage = 3,
}
