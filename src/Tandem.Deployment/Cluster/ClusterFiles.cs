using System.Text;

namespace Tandem.Deployment.Cluster;

/// <summary>Writes the cluster's files with the modes they need: secrets readable by root only.</summary>
public static class ClusterFiles
{
    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WritePublic(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text), Public);

    public static void WriteSecret(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text), Secret);

    /// <summary>corosync refuses an authkey that others can read; 0400 as corosync-keygen makes it.</summary>
    public static void WriteAuthKey(string path, byte[] key) => Write(path, key, UnixFileMode.UserRead);

    private static void Write(string path, byte[] bytes, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temp, mode);
        File.Move(temp, path, overwrite: true);
    }
}
