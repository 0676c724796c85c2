using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// The page listing of a tree from the listing of an earlier tree and git's difference between the two: git compares
/// them subtree by subtree and skips the ones that did not change, so after a save this reads one folder instead of
/// walking every page of the handbook (and allocating an object per entry) again.
/// </summary>
internal static class PageListingDiff
{
    /// <summary>
    /// The listing of <paramref name="after"/> from that of <paramref name="before"/> and the difference between the two
    /// trees: git compares them subtree by subtree and skips the ones that did not change, so after a save this reads
    /// one folder instead of walking every page of the handbook (and allocating an object per entry) again. The
    /// entries of unchanged pages are the previous listing's own.
    /// </summary>
    public static List<PageEntry> Update(Repository repo, Tree before, Tree after, IReadOnlyList<PageEntry> previous)
    {
        var changed = new Dictionary<PagePath, string?>();
        using (var changes = repo.Diff.Compare<TreeChanges>(before, after, new CompareOptions { Similarity = SimilarityOptions.None }))
        {
            foreach (var change in changes)
            {
                if (change.Status == LibGit2Sharp.ChangeKind.Deleted)
                {
                    if (PagePath.TryFromFileName(change.OldPath, out var gone))
                    {
                        changed.TryAdd(gone, null);
                    }
                }
                else if (PagePath.TryFromFileName(change.Path, out var path))
                {
                    // A type change (file to folder) is a deletion and an addition at the same path: the addition wins.
                    changed[path] = change.Oid.Sha;
                }
            }
        }

        var pages = new List<PageEntry>(previous.Count + changed.Count);
        foreach (var entry in previous)
        {
            if (!changed.Remove(entry.Path, out var blob))
            {
                pages.Add(entry);
            }
            else if (blob is not null)
            {
                pages.Add(new PageEntry(entry.Path, blob));
            }
        }

        // What is left was not in the previous listing: new pages.
        var added = false;
        foreach (var (path, blob) in changed)
        {
            if (blob is not null)
            {
                pages.Add(new PageEntry(path, blob));
                added = true;
            }
        }

        if (added)
        {
            pages.Sort((a, b) => a.Path.CompareTo(b.Path));
        }

        return pages;
    }

    public static void CollectPages(Tree tree, string prefix, List<PageEntry> pages)
    {
        foreach (var entry in tree)
        {
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                if (!entry.Name.StartsWith('.'))
                {
                    CollectPages((Tree)entry.Target, prefix + entry.Name + "/", pages);
                }
            }
            else if (PagePath.TryFromFileName(prefix + entry.Name, out var path))
            {
                pages.Add(new PageEntry(path, entry.Target.Sha));
            }
        }
    }
}
