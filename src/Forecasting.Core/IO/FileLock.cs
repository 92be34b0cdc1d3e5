namespace Forecasting.Core.IO;

/// <summary>
/// An exclusive OS file lock (the file opened with no sharing), released on dispose or by the OS
/// when the process dies: one writer at a time across processes on one machine or volume.
/// </summary>
public static class FileLock
{
    /// <summary>The lock on <paramref name="path"/>, waiting up to <paramref name="wait"/> for another holder; null if it is still held then.</summary>
    public static FileStream? TryAcquire(string path, TimeSpan wait, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(poll);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
