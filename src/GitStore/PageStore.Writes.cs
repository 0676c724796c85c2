using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>Writing: the one writer path (under the writer lock, compare-and-swap on the branch), save and merge, and the protection rule at commit time.</summary>
public sealed partial class PageStore
{
    /// <summary>
    /// Saves a page. Unchanged since the base → a commit on top; changed meanwhile → a three-way merge with git's
    /// merge machinery, committed when clean; overlapping edits → a conflict and nothing written.
    /// </summary>
    public Task<SaveResult> SaveAsync(SaveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Reject(request.Summary, Encoding.UTF8.GetByteCount(request.Text)) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo => SaveCore(repo, request), cancellationToken);
    }

    /// <summary>Stores an attachment beside the pages, as one commit.</summary>
    public Task<SaveResult> SaveAttachmentAsync(AttachmentPath path, byte[] content, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.LongLength > _options.MaxAttachmentBytes)
        {
            return Task.FromResult<SaveResult>(new SaveResult.Rejected(SaveError.TooLarge,
                $"The file is larger than {_options.MaxAttachmentBytes} bytes."));
        }

        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            // A file belongs to a page that exists, and changing it is changing that page.
            if (path.Page is not { } page || head?[page.FileName]?.Target is not Blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Files are added to an existing page; '{path.Page?.Value ?? path.Value}' does not exist.");
            }

            if (Unprotected(author, head, page, newText: null) is { } refused)
            {
                return refused;
            }

            if (SharedRefusal(head, page, adapting: false) is { } shared)
            {
                return shared;
            }

            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(content, writable: false));
            if ((head[path.Value]?.Target as Blob)?.Id == blob.Id)
            {
                return new SaveResult.Unchanged(head.Sha);
            }

            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(path.Value, blob, Mode.NonExecutableFile);
            return Commit(repo, head, tree, author, summary, []) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);
    }

    /// <summary>Moves a page. History follows it; the old path becomes a redirect to the new one.</summary>
    public Task<SaveResult> RenameAsync(PagePath from, PagePath to, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            if (head?[from.FileName]?.Target is not Blob blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{from}' does not exist.");
            }

            if (Unprotected(author, head, from, newText: null) is { } refused)
            {
                return refused;
            }

            if ((SharedRefusal(head, from, adapting: false) ?? SharedRefusal(head, to, adapting: false)) is { } shared)
            {
                return shared;
            }

            if (from == to)
            {
                return new SaveResult.Unchanged(head.Sha);
            }

            if (head[to.FileName] is not null)
            {
                return new SaveResult.Rejected(SaveError.AlreadyExists, $"Page '{to}' already exists.");
            }

            var tree = TreeDefinition.From(head);
            tree.Remove(from.FileName);
            tree.Add(to.FileName, blob, Mode.NonExecutableFile);
            MoveQuestions(head, tree, from, to);
            var redirects = new Dictionary<PagePath, PagePath>(_redirectFile.Read(head));
            foreach (var key in redirects.Where(r => r.Value == from).Select(r => r.Key).ToList())
            {
                redirects[key] = to;
            }

            redirects.Remove(to);
            redirects[from] = to;
            RedirectFile.Write(repo, tree, redirects);
            return Commit(repo, head, tree, author, summary, []) is { } sha ? new SaveResult.Saved(sha) : null;
        }, cancellationToken);
    }

    /// <summary>Removes a page. It stays in history and can be restored.</summary>
    public Task<SaveResult> DeleteAsync(PagePath path, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            if (head?[path.FileName] is null)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' does not exist.");
            }

            if (Unprotected(author, head, path, newText: null) is { } refused)
            {
                return refused;
            }

            if (SharedRefusal(head, path, adapting: false) is { } shared)
            {
                return shared;
            }

            var tree = TreeDefinition.From(head);
            tree.Remove(path.FileName);
            return Commit(repo, head, tree, author, summary, []) is { } sha ? new SaveResult.Saved(sha) : null;
        }, cancellationToken);
    }

    /// <summary>Sets a page back to its text at <paramref name="revision"/>, as a new commit (also for a deleted page).</summary>
    public Task<SaveResult> RestoreAsync(PagePath path, string revision, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var old = LookupCommit(repo, revision);
            if (old is null)
            {
                return new SaveResult.Rejected(SaveError.UnknownRevision, $"Revision '{revision}' is unknown.");
            }

            var source = PathAt(path, old.Sha);
            if (old[source.FileName]?.Target is not Blob blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' did not exist at {old.Sha[..7]}.");
            }

            var head = Tip(repo);
            if ((head?[path.FileName]?.Target as Blob)?.Id == blob.Id)
            {
                return new SaveResult.Unchanged(head!.Sha);
            }

            // Restoring a protected version (of a page deleted since, too) makes the page protected again.
            if (Unprotected(author, head, path, Prefix(blob)) is { } refused)
            {
                return refused;
            }

            if (SharedRefusal(head, path, adapting: true) is { } shared)
            {
                return shared;
            }

            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(path.FileName, blob, Mode.NonExecutableFile);
            TrackAdaptation(repo, tree, head, path, blob.Id);
            return Commit(repo, head, tree, author, summary, [new(HistoryIndex.RestoredTrailer, old.Sha)]) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);
    }

    private SaveResult.Rejected? Reject(string summary, int bytes)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return new SaveResult.Rejected(SaveError.SummaryRequired, "A summary of the change is required.");
        }

        return bytes > _options.MaxPageBytes
            ? new SaveResult.Rejected(SaveError.TooLarge, $"The page is larger than {_options.MaxPageBytes} bytes.")
            : null;
    }

    /// <summary>
    /// Runs one save-like write. <paramref name="write"/> returns null when the branch moved under it
    /// (compare-and-swap failed); it is then run again on the new tip.
    /// </summary>
    private Task<SaveResult> WriteAsync(Func<Repository, SaveResult?> write, CancellationToken cancellationToken) =>
        WithWriterAsync(repo =>
        {
            while (true)
            {
                if (write(repo) is { } result)
                {
                    return result;
                }
            }
        }, cancellationToken);

    /// <summary>
    /// The one way to write: under the writer lock, off the caller's thread, retrying when a git lock file from a
    /// crashed process is in the way; afterwards the history index catches up and, if the branch moved,
    /// <see cref="Committed"/> is raised.
    /// </summary>
    private async Task<T> WithWriterAsync<T>(Func<Repository, T> action, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var before = Tip(_writer)?.Sha;
                T result;
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        result = action(_writer);
                        break;
                    }
                    catch (LockedFileException) when (attempt < 50)
                    {
                        StaleLocks.Remove(_options.RepositoryPath, StaleLockAge);
                        Thread.Sleep(20);
                    }
                }

                _index.CatchUp(_writer, Tip);

                var tip = Tip(_writer);
                if (tip is not null && tip.Sha != before)
                {
                    Committed?.Invoke(tip.Sha);
                }

                return result;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SaveResult? SaveCore(Repository repo, SaveRequest request)
    {
        var head = Tip(repo);
        var headBlob = head?[request.Path.FileName]?.Target as Blob;
        var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(request.Text), writable: false));
        if (headBlob?.Id == blob.Id)
        {
            return new SaveResult.Unchanged(head!.Sha);
        }

        // Against the tip, not the version the editor opened: protection added meanwhile counts, for a merge and
        // for "keep my version" alike.
        if (Unprotected(request.Author, head, request.Path, request.Text) is { } refused)
        {
            return refused;
        }

        if (SharedRefusal(head, request.Path, adapting: true) is { } shared)
        {
            return shared;
        }

        Commit? baseCommit = null;
        if (request.BaseRevision is not null)
        {
            baseCommit = LookupCommit(repo, request.BaseRevision);
            if (baseCommit is null)
            {
                return new SaveResult.Rejected(SaveError.UnknownRevision, $"Revision '{request.BaseRevision}' is unknown.");
            }
        }

        var baseBlob = baseCommit?[request.Path.FileName]?.Target as Blob;
        if (baseBlob?.Id == headBlob?.Id)
        {
            // The page did not change since the editor opened it (other pages may have): commit on top.
            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(request.Path.FileName, blob, Mode.NonExecutableFile);
            var redirects = _redirectFile.Read(head);
            if (redirects.ContainsKey(request.Path))
            {
                // A page created where a redirect was: the page wins.
                var remaining = new Dictionary<PagePath, PagePath>(redirects);
                remaining.Remove(request.Path);
                RedirectFile.Write(repo, tree, remaining);
            }

            ClearConflictFlag(repo, tree, head, request.Path);
            TrackAdaptation(repo, tree, head, request.Path, blob.Id);
            return Commit(repo, head, tree, request.Author, request.Summary, request.Trailers) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }

        if (headBlob is not null && SizeOf(repo, headBlob) > _options.MaxReadBytes)
        {
            return new SaveResult.Rejected(SaveError.TooLarge, $"The page on the branch is larger than {_options.MaxReadBytes} bytes: it cannot be merged.");
        }

        var theirs = headBlob?.GetContentText(PageText) ?? "";
        if (baseCommit is null || head is null)
        {
            // A new page, but someone created it meanwhile: there is no common base to merge from.
            return new SaveResult.Conflict("", theirs, request.Text, head?.Sha ?? "");
        }

        var mineTree = TreeDefinition.From(baseCommit);
        mineTree.Add(request.Path.FileName, blob, Mode.NonExecutableFile);
        var mine = repo.ObjectDatabase.CreateCommit(Signature(request.Author), Signature(_options.Committer),
            request.Summary, repo.ObjectDatabase.CreateTree(mineTree), [baseCommit], prettifyMessage: true);
        var merge = repo.ObjectDatabase.MergeCommits(head, mine, new MergeTreeOptions { FailOnConflict = false });
        if (merge.Status != MergeTreeStatus.Succeeded)
        {
            return new SaveResult.Conflict(baseBlob?.GetContentText(PageText) ?? "", theirs, request.Text, head.Sha);
        }

        if (merge.Tree.Id == head.Tree.Id)
        {
            return new SaveResult.Unchanged(head.Sha);
        }

        var mergedText = (merge.Tree[request.Path.FileName]?.Target as Blob)?.GetContentText(PageText) ?? "";
        if (Unprotected(request.Author, head, request.Path, mergedText) is { } mergedRefused)
        {
            return mergedRefused;
        }

        var mergedTree = TreeDefinition.From(merge.Tree);
        ClearConflictFlag(repo, mergedTree, head, request.Path);
        if (merge.Tree[request.Path.FileName]?.Target is Blob mergedBlob)
        {
            TrackAdaptation(repo, mergedTree, head, request.Path, mergedBlob.Id);
        }

        var merged = Commit(repo, head, mergedTree, request.Author, request.Summary, request.Trailers);
        return merged is null ? null : new SaveResult.Merged(merged, mergedText);
    }

    /// <summary>How much of a page's text <see cref="PageStoreOptions.IsProtected"/> sees: front matter is at most 16 KB.</summary>
    private const int ProtectionPrefix = 64 * 1024;

    /// <summary>
    /// The protection rule, at commit time: an author without <see cref="Author.MayChangeProtected"/> may neither
    /// write to a page that is protected at <paramref name="head"/> nor write <paramref name="newText"/> that is
    /// protected (which would protect the page). Null when the write may go ahead.
    /// </summary>
    private SaveResult.Rejected? Unprotected(Author author, Commit? head, PagePath path, string? newText)
    {
        if (_options.IsProtected is not { } isProtected || author.MayChangeProtected)
        {
            return null;
        }

        if (head?[path.FileName]?.Target is Blob current && isProtected(Prefix(current)))
        {
            return new SaveResult.Rejected(SaveError.NotAllowed, $"Page '{path}' is protected: only an administrator may change it.");
        }

        return newText is not null && isProtected(newText.Length > ProtectionPrefix ? newText[..ProtectionPrefix] : newText)
            ? new SaveResult.Rejected(SaveError.NotAllowed, $"Only an administrator may protect page '{path}'.")
            : null;
    }

    /// <summary>The first <see cref="ProtectionPrefix"/> bytes of a blob as text, without reading a large blob whole.</summary>
    private static string Prefix(Blob blob)
    {
        if (blob.Size <= ProtectionPrefix)
        {
            return blob.GetContentText(PageText);
        }

        using var stream = blob.GetContentStream();
        var buffer = new byte[ProtectionPrefix];
        var read = 0;
        while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }

        return PageText.GetString(buffer, 0, read);
    }

    /// <summary>Saving a page flagged by a sync merge is its resolution: the flag goes.</summary>
    private static void ClearConflictFlag(Repository repo, TreeDefinition tree, Commit? head, PagePath path)
    {
        var conflicts = ReadConflicts(head);
        if (conflicts.ContainsKey(path))
        {
            WriteConflicts(repo, tree, conflicts.Where(c => c.Key != path).ToDictionary(c => c.Key, c => c.Value));
        }
    }

    /// <summary>Writes a commit and moves the branch to it if the branch is still at <paramref name="parent"/>.</summary>
    /// <returns>The new commit id, or null when the branch moved meanwhile.</returns>
    private string? Commit(Repository repo, Commit? parent, TreeDefinition tree, Author author, string summary,
        IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        var message = new StringBuilder(summary.Trim());
        if (trailers.Count > 0)
        {
            message.Append("\n\n");
            foreach (var (key, value) in trailers)
            {
                message.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ")).Append('\n');
            }
        }

        var commit = repo.ObjectDatabase.CreateCommit(Signature(author), Signature(_options.Committer),
            message.ToString(), repo.ObjectDatabase.CreateTree(tree), parent is null ? [] : [parent], prettifyMessage: true);
        var branch = repo.Refs[_branchRef];
        if (branch is null)
        {
            if (parent is not null)
            {
                return null;
            }

            repo.Refs.Add(_branchRef, commit.Id, "handbook: first commit");
            return commit.Sha;
        }

        if (parent is null || branch.TargetIdentifier != parent.Sha)
        {
            return null;
        }

        try
        {
            // libgit2 updates the reference only if it still points where `branch` said: compare-and-swap.
            repo.Refs.UpdateTarget(branch, commit.Id, "handbook: " + summary.Trim());
            return commit.Sha;
        }
        catch (LibGit2SharpException e) when (e is not LockedFileException)
        {
            return null;
        }
    }

    private static Signature Signature(Author author) =>
        new(Clean(author.Name, "onbekend"), Clean(author.Email, "onbekend@localhost"), DateTimeOffset.Now);

    private static string Clean(string value, string fallback)
    {
        var cleaned = new string(value.Where(c => c is not ('<' or '>') && !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? fallback : cleaned;
    }
}
