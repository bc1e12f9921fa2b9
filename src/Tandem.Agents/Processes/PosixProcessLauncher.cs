using System.Runtime.InteropServices;
using System.Text;

namespace Tandem.Agents.Processes;

/// <summary>
/// Starts agents with posix_spawn as leaders of a new session (so of a new process group), with every
/// signal at its default disposition and an empty signal mask (.NET ignores SIGPIPE, which agents must not
/// inherit), stdin from /dev/null or a pipe, stdout and stderr into pipes read within bounded memory.
/// </summary>
public sealed class PosixProcessLauncher : IProcessLauncher
{
    /// <summary>How long to wait, after the agent exited, for processes it left behind to close its output
    /// pipes; then what was read is kept and the pipes are closed (daemons started by agents often keep
    /// them).</summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    public IAgentProcess Start(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Path.IsPathRooted(spec.Path))
        {
            throw new ProcessLaunchException(LaunchFailure.NotFound, $"agent path '{spec.Path}' is not absolute");
        }
        return PosixProcess.Spawn(spec, OutputDrainTimeout);
    }
}

/// <summary>Native argv/envp arrays of UTF-8 strings, freed together.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly nint[] _strings;

    public NativeStringArray(IReadOnlyList<string> values)
    {
        _strings = new nint[values.Count];
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            _strings[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            Pointer[i] = (byte*)_strings[i];
        }
    }

    public byte** Pointer { get; }

    public void Dispose()
    {
        foreach (var s in _strings)
        {
            Marshal.FreeCoTaskMem(s);
        }
        NativeMemory.Free(Pointer);
    }

    public static byte[] Utf8Z(string value) => Encoding.UTF8.GetBytes(value + '\0');
}
