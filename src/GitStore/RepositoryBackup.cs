namespace Handbook.GitStore;

/// <summary>A backup or restore that could not be done; its message says why in plain words, and nothing was changed.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Backup and restore of the page repository as a git bundle (every branch and tag, the whole history, in one file),
/// with the git CLI (libgit2 has no bundles). Both are checked before anything is replaced: a backup is written beside
/// its target and verified before it takes the target's name; a restore unpacks into a folder beside the target,
/// verifies the bundle and checks the result with <c>git fsck --strict</c> before it takes the target's name. The git
/// CLI runs with an argument list (no shell) and without the machine's or user's git configuration.
/// </summary>
public static class RepositoryBackup
{
    /// <summary>Writes a verified bundle of the repository at <paramref name="repositoryPath"/> to <paramref name="bundlePath"/>.</summary>
    /// <returns>The bundle's size in bytes.</returns>
    /// <exception cref="BackupException">No repository there, git failed, or the bundle did not verify.</exception>
    public static long Create(string repositoryPath, string bundlePath)
    {
        if (!Directory.Exists(repositoryPath) || !File.Exists(Path.Combine(repositoryPath, "HEAD")))
        {
            throw new BackupException($"There is no handbook repository at {repositoryPath}.");
        }

        var target = Path.GetFullPath(bundlePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".part-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Git(repositoryPath, "bundle", "create", "--quiet", temporary, "--all");
            Git(repositoryPath, "bundle", "verify", "--quiet", temporary);
            File.Move(temporary, target, overwrite: true);
            return new FileInfo(target).Length;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Brings the bundle at <paramref name="bundlePath"/> back as the repository at <paramref name="repositoryPath"/>,
    /// which must not exist yet (or be an empty folder): a restore never overwrites a handbook.
    /// </summary>
    /// <exception cref="BackupException">The target holds something, or the bundle is missing, damaged or incomplete.</exception>
    public static void Restore(string bundlePath, string repositoryPath)
    {
        var bundle = Path.GetFullPath(bundlePath);
        if (!File.Exists(bundle))
        {
            throw new BackupException($"There is no backup at {bundle}.");
        }

        var target = Path.GetFullPath(repositoryPath);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupException($"{target} is not empty: a restore goes into a new data folder and never overwrites a handbook.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".restore-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Git(Path.GetDirectoryName(target)!, "init", "--quiet", "--bare", "--initial-branch=main", temporary);
            // verify reads the bundle's header; a file cut short is found when its objects are read (fetch, fsck).
            try
            {
                Git(temporary, "bundle", "verify", "--quiet", bundle);
                // The shared handbook's fetched branch too: .handbook/regional names its commits (adaptations' bases).
                Git(temporary, "fetch", "--quiet", "--no-write-fetch-head", bundle, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
                    "+refs/remotes/region/*:refs/remotes/region/*");
                Git(temporary, "fsck", "--strict", "--no-dangling", "--no-progress");
            }
            catch (BackupException e)
            {
                throw new BackupException($"The backup {bundle} is damaged or not a handbook backup ({e.Message}). Nothing was restored.");
            }

            if (string.IsNullOrWhiteSpace(Git(temporary, "for-each-ref", "--format=%(refname)", "refs/heads/main")))
            {
                throw new BackupException($"The backup {bundle} has no main branch: it is not a handbook backup.");
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(temporary, target);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static string Git(string workDir, params string[] args)
    {
        try
        {
            return GitCli.Run(workDir, args);
        }
        catch (GitCliException e)
        {
            throw new BackupException(e.Message);
        }
    }
}
