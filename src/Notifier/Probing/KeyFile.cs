using System.Runtime.InteropServices;

namespace Notifier.Probing;

/// <summary>
/// A secret key kept in a file and created at first use, safely when several processes start at once (the CLI
/// run in parallel, web and worker nodes sharing a data folder). The new key is written in full to a temporary
/// file in the same folder and then given its name without overwriting: readers never see a half-written key,
/// and when processes race, the first to name its file wins and the others load the winner's key.
/// </summary>
internal static class KeyFile
{
    /// <summary>What was read or created, and whether this call created it.</summary>
    public sealed record Contents(string FullPath, string Text, bool Created);

    /// <summary>
    /// Reads the file at <paramref name="path"/> (relative to the working directory), or creates it, owner-only,
    /// with the text <paramref name="newKey"/> makes.
    /// </summary>
    public static Contents ReadOrCreate(string path, Func<string> newKey)
    {
        var full = Path.GetFullPath(path, Environment.CurrentDirectory);
        if (File.Exists(full)) return new Contents(full, File.ReadAllText(full), Created: false);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var text = newKey();
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
                // On disk before it gets its name: a crash must not leave an empty key file behind.
                stream.Flush(flushToDisk: true);
            }
            if (!LinkWithoutOverwrite(temp, full))
            {
                // Another process named its key first: use that one.
                return new Contents(full, File.ReadAllText(full), Created: false);
            }
            return new Contents(full, text, Created: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Gives <paramref name="temp"/> the name <paramref name="full"/> unless that name exists, in one step; false when
    /// it exists. On Unix this is link(2), which fails with EEXIST atomically: .NET's
    /// <c>File.Move(…, overwrite: false)</c> checks for the target and then calls rename(2), which replaces a file
    /// created in between (8 processes started at once got different keys with it). On Windows
    /// <c>File.Move</c> is MoveFileEx without MOVEFILE_REPLACE_EXISTING, which is atomic.
    /// </summary>
    private static bool LinkWithoutOverwrite(string temp, string full)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temp, full, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(full))
            {
                return false;
            }
        }
        if (link(temp, full) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EEXIST) return false;
        throw new IOException($"cannot create {full}: link(2) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
    }

    /// <summary>EEXIST is 17 on Linux, macOS and the BSDs.</summary>
    private const int EEXIST = 17;

    // DllImport, not LibraryImport: the source-generated form needs the project to allow unsafe code.
    [DllImport("libc", SetLastError = true)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA2101:Specify marshaling for P/Invoke string arguments",
        Justification = "link(2) takes the paths as the file system stores them, UTF-8 on Linux: LPUTF8Str, not a wide string")]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
