using System.Globalization;
using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// The shared (regional) handbook: a second repository whose branch is fetched and replayed into this one under
/// <see cref="RegionMount.Prefix"/>, one commit here per regional commit (its author, time and message), so that
/// everything that follows this branch — catalog, search, history, glossary, offline copies, questions — follows the
/// shared part too, and this repository stays a plain git repository. A city adapts a shared page by saving it (an
/// override: its text wins here and is kept across imports), takes the region's later changes with a three-way merge,
/// goes back to the shared version, or offers its version to the region as a branch. The regional branch is never
/// written.
/// </summary>
public sealed partial class PageStore
{
    /// <summary>The trailer of a commit replayed from the region: the regional commit it brings.</summary>
    public const string RegionCommitTrailer = "Handbook-Region-Commit";

    private const string RegionRemote = "region";

    private readonly RegionStateFile _regionState = new();

    /// <summary>Where the shared handbook is mounted; null when this handbook has none.</summary>
    public RegionMount? Region => _options.Region;

    private string RegionRef => $"refs/remotes/{RegionRemote}/{_options.Region!.Branch}";

    /// <summary>The shared part as the branch tip has it, or as commit <paramref name="revision"/> had it.</summary>
    public RegionalState RegionState(string? revision = null)
    {
        using var lease = _readers.Rent();
        return _regionState.Read(revision is null ? Tip(lease.Repository) : LookupCommit(lease.Repository, revision));
    }

    /// <summary>A page of the shared part and whether the city adapted it; null for a page outside it or before the first import.</summary>
    public RegionalPage? RegionalPage(PagePath path)
    {
        if (_options.Region is not { } mount || !mount.Contains(path))
        {
            return null;
        }

        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var state = _regionState.Read(Tip(repo));
        return state.Commit is null ? null : Describe(repo, mount, state, path);
    }

    /// <summary>The pages the city adapted, with whether the region changed them since.</summary>
    public IReadOnlyList<RegionalPage> RegionalOverrides()
    {
        if (_options.Region is not { } mount)
        {
            return [];
        }

        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var state = _regionState.Read(Tip(repo));
        return state.Commit is null ? [] : state.Overrides.Keys.Order().Select(p => Describe(repo, mount, state, p)).ToList();
    }

    /// <summary>
    /// A shared page's text in the region at <paramref name="regionalCommit"/> (default: the commit last imported);
    /// null when the region had no such page then, or the text is too large to read.
    /// </summary>
    public string? RegionalText(PagePath path, string? regionalCommit = null)
    {
        if (_options.Region is not { } mount || !mount.Contains(path))
        {
            return null;
        }

        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var commit = regionalCommit ?? _regionState.Read(Tip(repo)).Commit;
        return commit is not null && RegionalBlob(repo, mount, commit, path) is { } blob && SizeOf(repo, blob) <= _options.MaxReadBytes
            ? blob.GetContentText(PageText)
            : null;
    }

    /// <summary>
    /// Fetches the regional branch and replays what is new here. The fetch runs outside the writer lock (a slow or
    /// unreachable region never holds up a save); the replay runs under it. Throws when the region cannot be reached
    /// or its answer is damaged: the shared part then stays as last imported.
    /// </summary>
    /// <param name="region">The regional repository.</param>
    /// <param name="import">False: only fetch. An instance that does not import (another instance of the city does, and
    /// its commits arrive through the city's upstream) still needs the regional commits, to tell an adaptation from its
    /// base and to merge.</param>
    /// <param name="cancellationToken">Stops the import between batches.</param>
    public async Task<RegionImport> FetchRegionAsync(UpstreamOptions region, bool import = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (_options.Region is null)
        {
            throw new InvalidOperationException("This handbook has no region configured.");
        }

        await Task.Run(() => FetchRegion(region), cancellationToken).ConfigureAwait(false);
        return import ? await ImportRegionAsync(cancellationToken).ConfigureAwait(false) : new RegionImport(0, RegionState().Commit, false);
    }

    /// <summary>Replays the regional commits fetched last (see <see cref="FetchRegionAsync"/>) that are not here yet.</summary>
    public Task<RegionImport> ImportRegionAsync(CancellationToken cancellationToken = default)
    {
        var mount = _options.Region ?? throw new InvalidOperationException("This handbook has no region configured.");
        return ImportInBatchesAsync(mount, cancellationToken);
    }

    private async Task<RegionImport> ImportInBatchesAsync(RegionMount mount, CancellationToken cancellationToken)
    {
        var total = 0;
        var rewritten = false;
        for (var failed = 0; ;)
        {
            // One batch per hold of the writer lock: saves waiting for it go first.
            var (done, complete, wasRewritten) = await WithWriterAsync(repo => ReplayRegion(repo, mount), cancellationToken).ConfigureAwait(false);
            total += done;
            rewritten |= wasRewritten;
            if (complete)
            {
                return new RegionImport(total, RegionState().Commit, rewritten);
            }

            if (done == 0 && ++failed > 20)
            {
                throw new InvalidOperationException("The branch kept moving during the regional import.");
            }
        }
    }

    /// <summary>
    /// Takes the region's changes to a page the city adapted: a three-way merge of the adaptation with the region's
    /// change since its base. Overlapping edits → <see cref="SaveResult.Conflict"/> (base, the region's text, ours) and
    /// nothing written.
    /// </summary>
    public Task<SaveResult> MergeFromRegionAsync(PagePath path, Author author, string summary, CancellationToken cancellationToken = default) =>
        WriteAdaptationAsync(path, summary, (repo, head, adaptation) =>
        {
            var (mount, state, baseCommit) = adaptation;
            if (head[path.FileName]?.Target is not Blob ours)
            {
                return NotAdapted(path);
            }

            if (RegionalBlob(repo, mount, state.Commit!, path) is not { } theirs)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"The region no longer has page '{path}'.");
            }

            var baseBlob = RegionalBlob(repo, mount, baseCommit, path);
            if (baseBlob?.Id == theirs.Id)
            {
                return new SaveResult.Unchanged(head.Sha); // nothing new in the region
            }

            if (Unprotected(author, head, path, theirs.GetContentText(PageText)) is { } refused)
            {
                return refused;
            }

            if (MergeTexts(repo, baseBlob, ours, theirs) is not { } merged)
            {
                return new SaveResult.Conflict(baseBlob?.GetContentText(PageText) ?? "", theirs.GetContentText(PageText), ours.GetContentText(PageText), head.Sha);
            }

            var tree = TreeDefinition.From(head);
            tree.Add(path.FileName, merged, Mode.NonExecutableFile);
            var overrides = new Dictionary<PagePath, string>(state.Overrides);
            if (merged.Id == theirs.Id)
            {
                overrides.Remove(path);
            }
            else
            {
                overrides[path] = state.Commit!;
            }

            RegionStateFile.Write(repo, tree, state with { Overrides = overrides });
            var sha = Commit(repo, head, tree, author, summary, [new("Handbook-Region-Merged", state.Commit!)]);
            return sha is null ? null : new SaveResult.Merged(sha, merged.GetContentText(PageText));
        }, cancellationToken);

    /// <summary>
    /// Gives up the city's adaptation of a page: the shared version is read here again (a page the region removed
    /// goes too). Its text stays in history.
    /// </summary>
    public Task<SaveResult> FollowRegionAsync(PagePath path, Author author, string summary, CancellationToken cancellationToken = default) =>
        WriteAdaptationAsync(path, summary, (repo, head, adaptation) =>
        {
            var (mount, state, _) = adaptation;
            var theirs = RegionalBlob(repo, mount, state.Commit!, path);
            if (Unprotected(author, head, path, theirs?.GetContentText(PageText)) is { } refused)
            {
                return refused;
            }

            var tree = TreeDefinition.From(head);
            if (theirs is null)
            {
                tree.Remove(path.FileName);
            }
            else
            {
                tree.Add(path.FileName, theirs, Mode.NonExecutableFile);
            }

            var overrides = new Dictionary<PagePath, string>(state.Overrides);
            overrides.Remove(path);
            RegionStateFile.Write(repo, tree, state with { Overrides = overrides });
            return Commit(repo, head, tree, author, summary, [new("Handbook-Region-Followed", state.Commit!)]) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);

    /// <summary>
    /// Keeps the city's adaptation as it is after the region changed or removed the page: the change counts as seen
    /// (the adaptation's base becomes the commit last imported), the text does not change.
    /// </summary>
    public Task<SaveResult> KeepAdaptationAsync(PagePath path, Author author, string summary, CancellationToken cancellationToken = default) =>
        WriteAdaptationAsync(path, summary, (repo, head, adaptation) =>
        {
            var (_, state, baseCommit) = adaptation;
            if (baseCommit == state.Commit)
            {
                return new SaveResult.Unchanged(head.Sha);
            }

            if (Unprotected(author, head, path, newText: null) is { } refused)
            {
                return refused;
            }

            var tree = TreeDefinition.From(head);
            var overrides = new Dictionary<PagePath, string>(state.Overrides) { [path] = state.Commit! };
            RegionStateFile.Write(repo, tree, state with { Overrides = overrides });
            return Commit(repo, head, tree, author, summary, [new("Handbook-Region-Kept", state.Commit!)]) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);

    /// <summary>One write of an adapted page: the summary checked, then <paramref name="write"/> under the writer lock with the tip and the adaptation.</summary>
    private Task<SaveResult> WriteAdaptationAsync(PagePath path, string summary, Func<Repository, Commit, Adaptation, SaveResult?> write,
        CancellationToken cancellationToken)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            return head is not null && Adapted(repo, head, path) is { } adaptation ? write(repo, head, adaptation) : NotAdapted(path);
        }, cancellationToken);
    }

    private static SaveResult.Rejected NotAdapted(PagePath path) =>
        new(SaveError.NotFound, $"Page '{path}' is no adapted page of the shared handbook.");

    /// <summary>
    /// Offers the city's version of a shared page to the region: a commit on top of the regional branch (fetched first)
    /// that sets the page to the text here, pushed as a new branch <c>voorstel/&lt;city&gt;/&lt;page&gt;-&lt;time&gt;</c>
    /// for the region's maintainers to review and merge on their git server. Never the regional branch itself, never by
    /// force. Null when the text here is the region's already.
    /// </summary>
    public async Task<RegionProposal?> ProposeToRegionAsync(UpstreamOptions region, PagePath path, Author author, string summary, string city,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(author);
        var mount = _options.Region ?? throw new InvalidOperationException("This handbook has no region configured.");
        if (!mount.Contains(path))
        {
            throw new ArgumentException($"'{path}' is not a page of the shared handbook.", nameof(path));
        }

        if (string.IsNullOrWhiteSpace(summary))
        {
            throw new ArgumentException("A summary of the proposal is required.", nameof(summary));
        }

        var citySlug = PagePath.Slugify(city ?? "");
        if (citySlug.Length == 0 || citySlug.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a city name for a branch: '{city}'.", nameof(city));
        }

        return await Task.Run(() =>
        {
            FetchRegion(region);
            using var repo = new Repository(_options.RepositoryPath);
            if (Tip(repo)?[path.FileName]?.Target is not Blob here)
            {
                throw new InvalidOperationException($"Page '{path}' does not exist here.");
            }

            // Links the city's editor wrote to other shared pages ([[regio/x]]) name them as the region does ([[x]]).
            var text = here.GetContentText(PageText).Replace("[[" + mount.Prefix + "/", "[[", StringComparison.Ordinal);
            var ours = repo.ObjectDatabase.CreateBlob(new MemoryStream(PageText.GetBytes(text)));
            var regionalTip = repo.Refs[RegionRef]?.ResolveToDirectReference()?.Target as Commit
                ?? throw new InvalidOperationException("The region's branch could not be read.");
            var regionalPath = mount.ToRegional(path);
            if ((regionalTip[regionalPath.FileName]?.Target as Blob)?.Id == ours.Id)
            {
                return null;
            }

            var tree = TreeDefinition.From(regionalTip);
            tree.Add(regionalPath.FileName, ours, Mode.NonExecutableFile);
            var message = new StringBuilder(summary.Trim()).Append("\n\n")
                .Append("Voorgesteld door ").Append(city!.Trim()).Append(" (").Append(Clean(author.Name, "onbekend")).Append(")\n")
                .Append("Handbook-Proposed-From: ").Append(citySlug).Append('\n');
            var commit = repo.ObjectDatabase.CreateCommit(Signature(author), Signature(_options.Committer), message.ToString(),
                repo.ObjectDatabase.CreateTree(tree), [regionalTip], prettifyMessage: true);
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var branch = $"voorstel/{citySlug}/{regionalPath.Value.Replace('/', '-')}-{stamp}";
            var destination = "refs/heads/" + branch;
            // The one rule of proposals: a new branch under voorstel/, pushed without force.
            if (!destination.StartsWith("refs/heads/voorstel/", StringComparison.Ordinal) || destination.Contains("..", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("A proposal goes to a branch under voorstel/ only.");
            }

            var local = "refs/handbook/proposals/" + branch;
            repo.Refs.Add(local, commit.Id, allowOverwrite: false);
            string? refusal = null;
            repo.Network.Push(EnsureRegionRemote(repo, region), $"{local}:{destination}", new PushOptions
            {
                CredentialsProvider = Credentials(region),
                OnPushStatusError = error => refusal = error.Message,
            });
            if (refusal is not null)
            {
                throw new InvalidOperationException("The region refused the proposal: " + refusal);
            }

            return new RegionProposal(branch, commit.Sha);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The shared part's rule for a write of <paramref name="path"/> at <paramref name="head"/>: its pages can be adapted
    /// (saved, restored) but not created, renamed, deleted or given files here. Null when the write may go ahead.
    /// </summary>
    private SaveResult.Rejected? SharedRefusal(Commit? head, PagePath path, bool adapting)
    {
        if (_options.Region is not { } mount || !mount.Contains(path))
        {
            return null;
        }

        // A page of the shared part is on the branch (the region's, or the city's adaptation of one the region
        // removed since): read from the tip, so that an instance without the regional commits yet decides the same.
        var state = _regionState.Read(head);
        if (adapting && state.Commit is not null && (head?[path.FileName]?.Target is Blob || state.Overrides.ContainsKey(path)))
        {
            return null;
        }

        return new SaveResult.Rejected(SaveError.Shared,
            $"Page '{path}' belongs to the shared handbook: it can be adapted here, not created, renamed, deleted or given files.");
    }

    /// <summary>
    /// After a write of a shared page's text: the page is the city's adaptation (kept across imports, based on the
    /// regional commit last imported unless it was adapted before), or, with exactly the region's text, no longer.
    /// </summary>
    private void TrackAdaptation(Repository repo, TreeDefinition tree, Commit? head, PagePath path, ObjectId newBlob)
    {
        if (_options.Region is not { } mount || !mount.Contains(path))
        {
            return;
        }

        var state = _regionState.Read(head);
        if (state.Commit is null)
        {
            return;
        }

        var overrides = new Dictionary<PagePath, string>(state.Overrides);
        if (RegionalBlob(repo, mount, state.Commit, path)?.Id == newBlob)
        {
            overrides.Remove(path);
        }
        else
        {
            overrides.TryAdd(path, state.Commit);
        }

        if (overrides.Count != state.Overrides.Count || !overrides.All(o => state.Overrides.TryGetValue(o.Key, out var b) && b == o.Value))
        {
            RegionStateFile.Write(repo, tree, state with { Overrides = overrides });
        }
    }

    private void FetchRegion(UpstreamOptions region)
    {
        // Its own repository instance: the fetch writes objects and one remote-tracking ref, never the branch, and
        // must not wait for (or hold up) the writer.
        using var repo = new Repository(_options.RepositoryPath);
        var remote = EnsureRegionRemote(repo, region);
        Commands.Fetch(repo, remote.Name, [$"+refs/heads/{_options.Region!.Branch}:{RegionRef}"],
            new FetchOptions { CredentialsProvider = Credentials(region), TagFetchMode = TagFetchMode.None }, null);
        if (repo.Refs[RegionRef]?.ResolveToDirectReference()?.Target is not LibGit2Sharp.Commit)
        {
            throw new InvalidOperationException($"The region has no branch '{_options.Region.Branch}'.");
        }
    }

    private static Remote EnsureRegionRemote(Repository repo, UpstreamOptions region)
    {
        var remote = repo.Network.Remotes[RegionRemote];
        if (remote is null)
        {
            return repo.Network.Remotes.Add(RegionRemote, region.Url, $"+refs/heads/*:refs/remotes/{RegionRemote}/*");
        }

        if (remote.Url != region.Url)
        {
            repo.Network.Remotes.Update(RegionRemote, r => r.Url = region.Url);
            remote = repo.Network.Remotes[RegionRemote];
        }

        return remote;
    }

    /// <summary>
    /// Replays the regional commits not imported yet, oldest first: each becomes a commit here with the regional tree
    /// under the prefix, the city's adaptations kept. Returns how many were made and whether it is complete (false:
    /// the branch moved meanwhile, call again).
    /// </summary>
    private (int Done, bool Complete, bool Rewritten) ReplayRegion(Repository repo, RegionMount mount)
    {
        if (repo.Refs[RegionRef]?.ResolveToDirectReference()?.Target is not Commit fetched)
        {
            return (0, true, false);
        }

        var head = Tip(repo);
        var state = _regionState.Read(head);
        if (state.Commit == fetched.Sha)
        {
            return (0, true, false);
        }

        if (state.Commit is null && head?[mount.Prefix] is not null)
        {
            throw new InvalidOperationException(
                $"This handbook has its own folder '{mount.Prefix}/' already: choose another folder for the shared handbook (Handbook:Region:Prefix).");
        }

        var last = state.Commit is null ? null : repo.Lookup<Commit>(state.Commit);
        List<Commit> chain;
        var rewritten = false;
        if (state.Commit is null)
        {
            chain = FirstParents(fetched, stop: null);
        }
        else if (last is not null && repo.ObjectDatabase.FindMergeBase(last, fetched)?.Id == last.Id)
        {
            chain = FirstParents(fetched, stop: last.Id);
        }
        else
        {
            // The regional branch was rewritten (or the commit imported last is gone): its new state in one commit.
            chain = [fetched];
            rewritten = true;
        }

        // Commits are written in batches, the branch moves once per batch, and the writer lock is let go between
        // batches, so that saves go on during a first import of years of regional history (some 4–5 ms a commit here,
        // most of it writing its four loose objects: docs/benchmarks.md, "A shared regional handbook").
        var done = 0;
        ObjectId? sharedFrom = null;
        Tree? shared = null;
        var start = head;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // The city's adaptations, by their path in the regional tree, put back into every regional tree replayed.
        var ours = new Dictionary<string, Blob>(StringComparer.Ordinal);
        var overrides = new Dictionary<PagePath, string>(state.Overrides);
        foreach (var page in state.Overrides.Keys)
        {
            if (head?[page.FileName]?.Target is Blob blob)
            {
                ours[mount.ToRegional(page).FileName] = blob;
            }
            else
            {
                overrides.Remove(page); // gone here (a sync, a push by hand): nothing left to keep
            }
        }

        var patched = new Dictionary<(string, ObjectId), Tree>();
        foreach (var regional in chain.Take(ReplayBatch))
        {
            // With adaptations to put back a commit costs more (a folder's tree is written again): a batch also ends
            // after a quarter of a second, so that a save never waits much longer for the lock.
            if (done > 0 && System.Diagnostics.Stopwatch.GetElapsedTime(started) > ReplayHold)
            {
                break;
            }

            if (regional.Tree.Id != sharedFrom)
            {
                shared = WithAdaptations(repo, SharedTree(repo, regional.Tree), ours, patched);
                sharedFrom = regional.Tree.Id;
            }

            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            if (shared is null)
            {
                tree.Remove(mount.Prefix);
            }
            else
            {
                tree.Add(mount.Prefix, shared);
            }

            state = new RegionalState(regional.Sha, overrides);
            RegionStateFile.Write(repo, tree, state);
            var message = rewritten
                ? $"Gedeeld handboek bijgewerkt naar {regional.Sha[..7]} (de gedeelde geschiedenis werd herschreven)\n\n{regional.Message.TrimEnd()}\n"
                : regional.Message.TrimEnd() + "\n";
            message += $"\n{RegionCommitTrailer}: {regional.Sha}\n";
            head = repo.ObjectDatabase.CreateCommit(regional.Author, Signature(_options.Committer), message,
                repo.ObjectDatabase.CreateTree(tree), head is null ? [] : [head], prettifyMessage: true);
            done++;
        }

        if (head is null || !MoveBranchTo(repo, start, head))
        {
            return (0, false, rewritten); // the branch moved meanwhile (a push by hand): the batch is written again on it
        }

        return (done, done == chain.Count, rewritten);
    }

    /// <summary>Regional commits replayed under one hold of the writer lock, at most.</summary>
    private const int ReplayBatch = 200;

    /// <summary>How long one batch holds the writer lock, about (the commit under way is finished).</summary>
    private static readonly TimeSpan ReplayHold = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A regional tree with the city's adaptations in it. A regional commit changes one folder or a few: the folders
    /// with adaptations that it left alone are taken from <paramref name="patched"/> (by name and regional tree id),
    /// not written again (with 50 adaptations that made a replayed commit 5 times cheaper).
    /// </summary>
    private static Tree? WithAdaptations(Repository repo, Tree? shared, Dictionary<string, Blob> ours, Dictionary<(string, ObjectId), Tree> patched)
    {
        if (ours.Count == 0)
        {
            return shared;
        }

        var root = shared is null ? new TreeDefinition() : TreeDefinition.From(shared);
        foreach (var group in ours.GroupBy(o => o.Key.Contains('/', StringComparison.Ordinal) ? o.Key[..o.Key.IndexOf('/', StringComparison.Ordinal)] : ""))
        {
            if (group.Key.Length == 0)
            {
                foreach (var (file, blob) in group)
                {
                    root.Add(file, blob, Mode.NonExecutableFile);
                }

                continue;
            }

            var folder = shared?[group.Key]?.Target as Tree;
            if (folder is null || !patched.TryGetValue((group.Key, folder.Id), out var tree))
            {
                var definition = folder is null ? new TreeDefinition() : TreeDefinition.From(folder);
                foreach (var (file, blob) in group)
                {
                    definition.Add(file[(group.Key.Length + 1)..], blob, Mode.NonExecutableFile);
                }

                tree = repo.ObjectDatabase.CreateTree(definition);
                if (folder is not null)
                {
                    patched[(group.Key, folder.Id)] = tree;
                }
            }

            root.Add(group.Key, tree);
        }

        return repo.ObjectDatabase.CreateTree(root);
    }

    /// <summary>The regional commits from <paramref name="tip"/> back to <paramref name="stop"/> (exclusive) on the first-parent line, oldest first.</summary>
    private static List<Commit> FirstParents(Commit tip, ObjectId? stop)
    {
        var chain = new List<Commit>();
        for (var commit = tip; commit is not null && commit.Id != stop; commit = commit.Parents.FirstOrDefault())
        {
            chain.Add(commit);
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>A regional tree as it is mounted: without the region's own bookkeeping (entries whose name starts with '.'); null when empty.</summary>
    private static Tree? SharedTree(Repository repo, Tree regional)
    {
        if (!regional.Any(e => e.Name.StartsWith('.')))
        {
            return regional.Count == 0 ? null : regional;
        }

        var tree = TreeDefinition.From(regional);
        foreach (var entry in regional.Where(e => e.Name.StartsWith('.')))
        {
            tree.Remove(entry.Name);
        }

        var created = repo.ObjectDatabase.CreateTree(tree);
        return created.Count == 0 ? null : created;
    }

    private bool MoveBranchTo(Repository repo, Commit? from, Commit to)
    {
        var branch = repo.Refs[_branchRef];
        if (branch is null)
        {
            if (from is not null)
            {
                return false;
            }

            repo.Refs.Add(_branchRef, to.Id, "handbook: shared handbook");
            return true;
        }

        return from is not null && MoveBranch(repo, from, to);
    }

    private static Blob? RegionalBlob(Repository repo, RegionMount mount, string regionalCommit, PagePath path) =>
        repo.Lookup<Commit>(regionalCommit)?[mount.ToRegional(path).FileName]?.Target as Blob;

    private static RegionalPage Describe(Repository repo, RegionMount mount, RegionalState state, PagePath path)
    {
        var baseCommit = state.Overrides.TryGetValue(path, out var adaptedFrom) ? adaptedFrom : null;
        if (repo.Lookup<Commit>(state.Commit!) is null || (baseCommit is not null && repo.Lookup<Commit>(baseCommit) is null))
        {
            // The regional commits are not here (yet): an instance that does not import, before its own fetch. The
            // branch holds the pages; whether the region changed an adaptation is told after that fetch.
            return new RegionalPage(path, mount.ToRegional(path), state.Commit!, baseCommit, false, false);
        }

        var current = RegionalBlob(repo, mount, state.Commit!, path);
        if (baseCommit is null)
        {
            return new RegionalPage(path, mount.ToRegional(path), state.Commit!, null, false, current is null);
        }

        var before = RegionalBlob(repo, mount, baseCommit, path);
        return new RegionalPage(path, mount.ToRegional(path), state.Commit!, baseCommit,
            ChangedInRegion: current is not null && before?.Id != current.Id, RemovedInRegion: current is null);
    }

    /// <summary>The mount, the state and the adaptation's base when <paramref name="path"/> is a page the city adapted.</summary>
    private Adaptation? Adapted(Repository repo, Commit? head, PagePath path)
    {
        if (_options.Region is not { } mount || !mount.Contains(path))
        {
            return null;
        }

        var state = _regionState.Read(head);
        return state.Commit is not null && state.Overrides.TryGetValue(path, out var baseCommit) && repo.Lookup<Commit>(baseCommit) is not null
            ? new Adaptation(mount, state, baseCommit)
            : null;
    }

    /// <summary>An adapted page's place: the mount, the shared part's state, and the regional commit the adaptation is based on.</summary>
    private readonly record struct Adaptation(RegionMount Mount, RegionalState State, string Base);

    /// <summary>git's three-way merge of one text (as a save merges): the merged blob, or null when the edits overlap.</summary>
    private Blob? MergeTexts(Repository repo, Blob? baseBlob, Blob ours, Blob theirs)
    {
        const string file = "page.md";
        var signature = Signature(_options.Committer);
        Commit Make(Blob? blob, Commit? parent)
        {
            var tree = new TreeDefinition();
            if (blob is not null)
            {
                tree.Add(file, blob, Mode.NonExecutableFile);
            }

            return repo.ObjectDatabase.CreateCommit(signature, signature, "merge", repo.ObjectDatabase.CreateTree(tree), parent is null ? [] : [parent], prettifyMessage: false);
        }

        var root = Make(baseBlob, null);
        var merge = repo.ObjectDatabase.MergeCommits(Make(ours, root), Make(theirs, root), new MergeTreeOptions { FailOnConflict = false });
        return merge.Status == MergeTreeStatus.Succeeded ? merge.Tree[file]?.Target as Blob : null;
    }
}
