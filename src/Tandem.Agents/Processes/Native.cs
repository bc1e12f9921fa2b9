using System.Runtime.InteropServices;

namespace Tandem.Agents.Processes;

/// <summary>The few libc calls .NET's Process cannot make for us: posix_spawn with a new session and
/// default signal dispositions, waitpid and kill on a process group.</summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc.so.6";

    // glibc's opaque types on Linux are 80 (file actions), 336 (spawnattr) and 128 (sigset) bytes;
    // the buffers are allocated larger so a libc with bigger structures cannot overrun them.
    public const int FileActionsBytes = 512;
    public const int SpawnAttrBytes = 1024;
    public const int SigSetBytes = 256;

    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    public const int OCloExec = 0x80000;
    public const int ORdOnly = 0;

    public const int SigKill = 9;
    public const int SigTerm = 15;

    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int ENoExec = 8;
    public const int EAcces = 13;
    public const int ESrch = 3;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int flags, int mode);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, byte* path);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* mask);

    [LibraryImport(Libc)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Libc)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Libc)]
    public static partial int sigfillset(void* set);

    /// <summary>Returns 0 or an errno value (posix_spawn does not use errno).</summary>
    [LibraryImport(Libc)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int kill(int pid, int signal);
}
