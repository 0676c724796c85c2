using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>History, recent changes, activity, diffs and blame, served from the history index.</summary>
public sealed partial class PageStore
{
    /// <summary>The changes to a page, newest first, across renames. Served from the history index.</summary>
    public IReadOnlyList<PageChange> History(PagePath path, int skip = 0, int take = 100)
    {
        EnsureIndexCurrent();
        return _index.PageHistory(path, skip, take);
    }

    /// <summary>The last change to a page ("who changed this last"), from the history index.</summary>
    public PageChange? LastChange(PagePath path)
    {
        EnsureIndexCurrent();
        return _index.LastChange(path);
    }

    /// <summary>Recent changes of the whole handbook, newest first, filtered and paged. From the history index.</summary>
    public ChangePage RecentChanges(ChangeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureIndexCurrent();
        return _index.Recent(query);
    }

    /// <summary>
    /// Activity per section (root folder; "" for pages at the root) among the last <paramref name="max"/> changes in
    /// a period: how many pages changed, by how many people, in how many changes; busiest first. Kept for the history
    /// index's tip and period, so the recent-changes page does not group thousands of changes on every request.
    /// </summary>
    public IReadOnlyList<SectionActivity> Activity(DateTimeOffset? since, DateTimeOffset? until, int max = 10_000)
    {
        EnsureIndexCurrent();
        var key = (_index.Tip, since, until, max);
        if (_activity is { } cached && cached.Key == key)
        {
            return cached.Rows;
        }

        var rows = _index.Recent(new ChangeQuery(Take: max, Since: since, Until: until)).Items
            .GroupBy(c => c.Path.Folder.Length == 0 ? "" : c.Path.Section, StringComparer.Ordinal)
            .Select(g => new SectionActivity(g.Key,
                g.Select(c => c.Path).Distinct().Count(),
                g.Select(c => c.Author.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                g.Count()))
            .OrderByDescending(s => s.Changes)
            .ToList();
        _activity = new ActivityCache(key, rows);
        return rows;
    }

    /// <summary>
    /// What happened between two states of the branch: the commits reachable from <paramref name="to"/> and not
    /// from <paramref name="from"/> (first parents only, at most <paramref name="max"/>, oldest first) and the page
    /// changes they made. For followers' notifications: saves here, commits with the git CLI and from upstream alike.
    /// </summary>
    public IReadOnlyList<PageChange> ChangesBetween(string? from, string to, int max = 1000)
    {
        EnsureIndexCurrent();
        using var lease = _readers.Rent();
        var filter = new CommitFilter { IncludeReachableFrom = to, FirstParentOnly = true, SortBy = CommitSortStrategies.Topological };
        if (from is not null && LookupCommit(lease.Repository, from) is not null)
        {
            filter.ExcludeReachableFrom = from;
        }

        var revisions = lease.Repository.Commits.QueryBy(filter).Take(max).Select(c => c.Sha).ToList();
        return revisions.Count == 0 ? [] : _index.ChangesOf(revisions);
    }

    /// <summary>Pages that existed once and are deleted now, with their deletion, newest first.</summary>
    public IReadOnlyList<PageChange> DeletedPages()
    {
        EnsureIndexCurrent();
        return _index.LastChangePerPath()
            .Where(c => c.Kind == ChangeKind.Deleted)
            .OrderByDescending(c => c.When)
            .ToList();
    }

    /// <summary>How often the history index started again from the root commit since it was opened (diagnostics).</summary>
    internal int HistoryRebuilds => _index.Rebuilds;

    /// <summary>Makes the history index current with the branch (e.g. after a commit made with the git CLI).</summary>
    public void EnsureIndexCurrent()
    {
        // While a background build runs, this catches up the interim index that reads use (from the build's start).
        using var lease = _readers.Rent();
        var tip = Tip(lease.Repository);
        if (tip?.Sha != _index.Tip)
        {
            _index.CatchUp(lease.Repository, Tip);
        }

        // A failed background build is made good by this ordinary catch-up.
        if (_indexStatus.Error is not null && _index.Tip == tip?.Sha)
        {
            _indexStatus = HistoryIndexStatus.Complete;
        }
    }

    /// <summary>The difference between two revisions of a page; the page may have had another name then.</summary>
    public PageDiff? Diff(PagePath path, string fromRevision, string toRevision)
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var from = LookupCommit(repo, fromRevision);
        var to = LookupCommit(repo, toRevision);
        if (from is null || to is null)
        {
            return null;
        }

        var oldBlob = from[PathAt(path, from.Sha).FileName]?.Target as Blob;
        var newBlob = to[PathAt(path, to.Sha).FileName]?.Target as Blob;
        if ((oldBlob is not null && SizeOf(repo, oldBlob) > _options.MaxReadBytes) || (newBlob is not null && SizeOf(repo, newBlob) > _options.MaxReadBytes))
        {
            return new PageDiff(path, from.Sha, to.Sha, "", "", "", 0, 0) { TooLarge = true };
        }

        var empty = oldBlob is null || newBlob is null ? repo.ObjectDatabase.CreateBlob(Stream.Null) : null;
        var changes = repo.Diff.Compare(oldBlob ?? empty, newBlob ?? empty);
        return new PageDiff(path, from.Sha, to.Sha,
            oldBlob?.GetContentText(PageText) ?? "",
            newBlob?.GetContentText(PageText) ?? "",
            changes.Patch, changes.LinesAdded, changes.LinesDeleted);
    }

    /// <summary>
    /// Each line of the page with the change that last touched it. Computed from the page's own revisions (from the
    /// history index), so its cost follows the page's history, not the handbook's.
    /// </summary>
    public IReadOnlyList<BlameLine> Blame(PagePath path)
    {
        // While the history is built, the page's older changes are not known yet: its lines would be given to the
        // first change known. Nothing is shown until it is done (the page says how far the build is).
        if (_indexStatus.Building)
        {
            return [];
        }

        var history = History(path, 0, int.MaxValue);
        var blame = new BlameReplay();
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var change = history[i];
            // A version too large to read counts as empty: the lines of the next version are attributed to it.
            var text = change.Kind == ChangeKind.Deleted || repo.Lookup<Commit>(change.Revision)?[change.Path.FileName]?.Target is not Blob blob
                       || SizeOf(repo, blob) > _options.MaxReadBytes
                ? ""
                : blob.GetContentText(PageText);
            blame.Apply(text, change);
        }

        return blame.Lines();
    }

    /// <summary>
    /// The name a page had at <paramref name="revision"/>: its current name if it existed then, otherwise the first
    /// earlier name (following renames back through its history) that existed in that revision.
    /// </summary>
    private PagePath PathAt(PagePath path, string revision)
    {
        using var lease = _readers.Rent();
        var target = LookupCommit(lease.Repository, revision);
        if (target is null || target[path.FileName] is not null)
        {
            return path;
        }

        foreach (var change in History(path, 0, int.MaxValue))
        {
            if (change.OldPath is { } old && target[old.FileName] is not null)
            {
                return old;
            }
        }

        return path;
    }

    private sealed record ActivityCache((string? Tip, DateTimeOffset? Since, DateTimeOffset? Until, int Max) Key, IReadOnlyList<SectionActivity> Rows);
}
