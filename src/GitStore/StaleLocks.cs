using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>Lock files that a killed process left behind in the repository, which would block every later write.</summary>
internal static class StaleLocks
{
    /// <summary>
    /// A process killed while holding a git lock file leaves it behind and blocks every later write. At open every
    /// lock is a left-over; while running, locks older than <see cref="PageStore.StaleLockAge"/> are (no git operation holds
    /// one that long), younger ones may belong to a git command run by hand and are waited for.
    /// </summary>
    public static void Remove(string repositoryPath, TimeSpan olderThan)
    {
        if (!Directory.Exists(repositoryPath))
        {
            return;
        }

        var candidates = Directory.EnumerateFiles(repositoryPath, "*.lock", SearchOption.TopDirectoryOnly);
        var refs = Path.Combine(repositoryPath, "refs");
        if (Directory.Exists(refs))
        {
            candidates = candidates.Concat(Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories));
        }

        foreach (var file in candidates.ToList())
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= olderThan)
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
                // Someone else removed it or holds it: either way nothing to do.
            }
        }
    }
}
