using System.Text;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Handbook.GitStore;

/// <summary>Where the handbook's upstream repository is, and how to sign in to it.</summary>
/// <param name="Url">Any URL libgit2 understands: https://…, ssh://…, file:///…, or a path.</param>
/// <param name="Username">For https; never logged.</param>
/// <param name="Password">For https (a token); never logged.</param>
public sealed record UpstreamOptions(string Url, string? Username = null, string? Password = null)
{
    /// <summary>The URL without any user information, safe to show and log.</summary>
    public string DisplayUrl => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
        ? uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped)
        : Url;

    /// <summary>Only the display URL: the credentials must never reach a log through a formatted record.</summary>
    public override string ToString() => DisplayUrl;
}

/// <summary>How fetched upstream commits were brought into the branch.</summary>
public enum Integration
{
    /// <summary>Nothing new upstream.</summary>
    UpToDate,
    /// <summary>Upstream was ahead: the branch moved to it.</summary>
    FastForward,
    /// <summary>Both sides had new commits: a merge commit joins them.</summary>
    Merged,
}

/// <summary>A page whose local and upstream edits touched the same lines: upstream's text was kept, both versions are linked.</summary>
/// <param name="Path">The page.</param>
/// <param name="LocalRevision">The local commit with the text that was not kept.</param>
/// <param name="UpstreamRevision">The upstream commit whose text was kept.</param>
public sealed record SyncConflict(PagePath Path, string LocalRevision, string UpstreamRevision);

public sealed partial class PageStore
{
    internal const string ConflictsFile = ".handbook/conflicts";
    private const string RemoteName = "upstream";

    /// <summary>Pages flagged by a sync merge, until someone saves them.</summary>
    public IReadOnlyDictionary<PagePath, SyncConflict> SyncConflicts()
    {
        using var lease = _readers.Rent();
        return ReadConflicts(Tip(lease.Repository));
    }

    /// <summary>
    /// Fetches the upstream branch and integrates it: fast-forward when possible, otherwise a merge commit. Where the
    /// same lines changed on both sides nothing is dropped: the merge keeps upstream's text, the page is flagged in
    /// <c>.handbook/conflicts</c> with both revisions, and the local text stays in history.
    /// </summary>
    public Task<Integration> FetchAndIntegrateAsync(UpstreamOptions upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return WithWriterAsync(repo =>
        {
            var remote = EnsureRemote(repo, upstream);
            Commands.Fetch(repo, remote.Name, [$"+refs/heads/{_options.Branch}:refs/remotes/{RemoteName}/{_options.Branch}"],
                new FetchOptions { CredentialsProvider = Credentials(upstream) }, null);
            for (var attempt = 0; ; attempt++)
            {
                var result = Integrate(repo);
                if (result is not null)
                {
                    return result.Value;
                }

                if (attempt > 20)
                {
                    throw new InvalidOperationException("The branch kept moving during integration.");
                }
            }
        }, cancellationToken);
    }

    /// <summary>
    /// For a new repository: takes upstream's branch when upstream has one. False when upstream is empty or cannot
    /// be reached (the caller seeds instead; a later sync merges the two histories).
    /// </summary>
    private bool TryStartFromUpstream(UpstreamOptions upstream)
    {
        try
        {
            var remote = EnsureRemote(_writer, upstream);
            Commands.Fetch(_writer, remote.Name, [$"+refs/heads/{_options.Branch}:refs/remotes/{RemoteName}/{_options.Branch}"],
                new FetchOptions { CredentialsProvider = Credentials(upstream) }, null);
        }
        catch (LibGit2SharpException)
        {
            return false;
        }

        if (_writer.Refs[$"refs/remotes/{RemoteName}/{_options.Branch}"]?.ResolveToDirectReference()?.Target is not Commit tip)
        {
            return false;
        }

        _writer.Refs.Add(_branchRef, tip.Id, "handbook: started from upstream");
        return true;
    }

    /// <summary>Pushes the branch upstream. A rejected push (upstream moved) throws; fetch and integrate first.</summary>
    public Task PushAsync(UpstreamOptions upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return WithWriterAsync(repo =>
        {
            var remote = EnsureRemote(repo, upstream);
            string? rejection = null;
            repo.Network.Push(remote, $"refs/heads/{_options.Branch}:refs/heads/{_options.Branch}", new PushOptions
            {
                CredentialsProvider = Credentials(upstream),
                OnPushStatusError = error => rejection = error.Message,
            });
            return rejection is null ? true : throw new InvalidOperationException("Upstream refused the push: " + rejection);
        }, cancellationToken);
    }

    /// <summary>Whether upstream (as last fetched) has everything the branch has.</summary>
    public bool IsPushed()
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var tip = Tip(repo);
        var remote = repo.Refs[$"refs/remotes/{RemoteName}/{_options.Branch}"]?.ResolveToDirectReference()?.Target as Commit;
        return tip is null || (remote is not null && repo.ObjectDatabase.FindMergeBase(tip, remote)?.Id == tip.Id);
    }

    private Integration? Integrate(Repository repo)
    {
        var upstream = repo.Refs[$"refs/remotes/{RemoteName}/{_options.Branch}"]?.ResolveToDirectReference()?.Target as Commit;
        var head = Tip(repo);
        if (upstream is null || upstream.Id == head?.Id)
        {
            return Integration.UpToDate;
        }

        if (head is null)
        {
            repo.Refs.Add(_branchRef, upstream.Id, "handbook: from upstream");
            return Integration.FastForward;
        }

        var mergeBase = repo.ObjectDatabase.FindMergeBase(head, upstream);
        if (mergeBase?.Id == upstream.Id)
        {
            return Integration.UpToDate;
        }

        if (mergeBase?.Id == head.Id)
        {
            return MoveBranch(repo, head, upstream) ? Integration.FastForward : null;
        }

        // Which pages collide: a normal merge lists them; a merge favouring upstream resolves them line by line.
        var plain = repo.ObjectDatabase.MergeCommits(head, upstream, new MergeTreeOptions { FailOnConflict = false });
        var conflicted = plain.Status == MergeTreeStatus.Conflicts
            ? plain.Conflicts.Select(c => c.Ours?.Path ?? c.Theirs?.Path ?? c.Ancestor?.Path).Where(p => p is not null).Select(p => p!).Distinct().ToList()
            : [];
        TreeDefinition tree;
        if (conflicted.Count == 0)
        {
            tree = TreeDefinition.From(plain.Tree);
        }
        else
        {
            var favoured = repo.ObjectDatabase.MergeCommits(head, upstream, new MergeTreeOptions { FailOnConflict = false, MergeFileFavor = MergeFileFavor.Theirs });
            if (favoured.Status == MergeTreeStatus.Succeeded)
            {
                tree = TreeDefinition.From(favoured.Tree);
            }
            else
            {
                // Conflicts no line-level choice can settle (edited on one side, deleted on the other): upstream's
                // version of those files, the merged result everywhere else is not available, so start from upstream
                // and keep every local-only page change.
                tree = TreeDefinition.From(upstream);
                foreach (var change in repo.Diff.Compare<TreeChanges>(mergeBase?.Tree, head.Tree))
                {
                    if (conflicted.Contains(change.Path))
                    {
                        continue;
                    }

                    if (change.Status == LibGit2Sharp.ChangeKind.Deleted)
                    {
                        tree.Remove(change.Path);
                    }
                    else
                    {
                        tree.Add(change.Path, repo.Lookup<Blob>(change.Oid), Mode.NonExecutableFile);
                    }
                }
            }
        }

        var conflicts = new Dictionary<PagePath, SyncConflict>(ReadConflicts(upstream));
        foreach (var (path, conflict) in ReadConflicts(head))
        {
            conflicts.TryAdd(path, conflict);
        }

        foreach (var file in conflicted)
        {
            if (PagePath.TryFromFileName(file, out var page))
            {
                conflicts[page] = new SyncConflict(page, head.Sha, upstream.Sha);
            }
        }

        WriteConflicts(repo, tree, conflicts);
        var committer = Signature(_options.Committer);
        var message = new StringBuilder("Samengevoegd met upstream");
        if (conflicted.Count > 0)
        {
            message.Append("\n\nBeide kanten wijzigden dezelfde regels; de tekst van upstream is behouden in:\n");
            foreach (var file in conflicted)
            {
                message.Append("- ").Append(file).Append('\n');
            }
        }

        var merge = repo.ObjectDatabase.CreateCommit(committer, committer, message.ToString(), repo.ObjectDatabase.CreateTree(tree), [head, upstream], prettifyMessage: true);
        return MoveBranch(repo, head, merge) ? Integration.Merged : null;
    }

    private bool MoveBranch(Repository repo, Commit from, Commit to)
    {
        var branch = repo.Refs[_branchRef];
        if (branch is null || branch.TargetIdentifier != from.Sha)
        {
            return false;
        }

        try
        {
            repo.Refs.UpdateTarget(branch, to.Id, "handbook: sync");
            return true;
        }
        catch (LibGit2SharpException e) when (e is not LockedFileException)
        {
            return false;
        }
    }

    private static Remote EnsureRemote(Repository repo, UpstreamOptions upstream)
    {
        var remote = repo.Network.Remotes[RemoteName];
        if (remote is null)
        {
            return repo.Network.Remotes.Add(RemoteName, upstream.Url);
        }

        if (remote.Url != upstream.Url)
        {
            repo.Network.Remotes.Update(RemoteName, r => r.Url = upstream.Url);
            remote = repo.Network.Remotes[RemoteName];
        }

        return remote;
    }

    private static CredentialsHandler? Credentials(UpstreamOptions upstream) =>
        upstream.Username is null && upstream.Password is null
            ? null
            : (_, _, _) => new UsernamePasswordCredentials { Username = upstream.Username ?? "", Password = upstream.Password ?? "" };

    private static IReadOnlyDictionary<PagePath, SyncConflict> ReadConflicts(Commit? tip)
    {
        var map = new Dictionary<PagePath, SyncConflict>();
        if (tip?[ConflictsFile]?.Target is not Blob blob)
        {
            return map;
        }

        foreach (var line in blob.GetContentText(Encoding.UTF8).Split('\n'))
        {
            var parts = line.Trim().Split('\t');
            if (parts.Length == 3 && PagePath.TryParse(parts[0], out var path, out _))
            {
                map[path] = new SyncConflict(path, parts[1], parts[2]);
            }
        }

        return map;
    }

    private static void WriteConflicts(Repository repo, TreeDefinition tree, IReadOnlyDictionary<PagePath, SyncConflict> conflicts)
    {
        if (conflicts.Count == 0)
        {
            tree.Remove(ConflictsFile);
            return;
        }

        var text = new StringBuilder("# page<TAB>local revision<TAB>upstream revision kept: written by Handbook's sync, cleared when the page is saved\n");
        foreach (var c in conflicts.Values.OrderBy(c => c.Path))
        {
            text.Append(c.Path.Value).Append('\t').Append(c.LocalRevision).Append('\t').Append(c.UpstreamRevision).Append('\n');
        }

        tree.Add(ConflictsFile, repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()))), Mode.NonExecutableFile);
    }
}
