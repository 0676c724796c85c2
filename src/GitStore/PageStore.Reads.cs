using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>Reading pages, listings, blobs and attachments: every read rents its own repository instance, never the writer.</summary>
public sealed partial class PageStore
{
    /// <summary>Reads a page at the branch tip, or at <paramref name="revision"/> (a commit id); null if absent.</summary>
    public PageContent? Read(PagePath path, string? revision = null)
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var commit = revision is null ? Tip(repo) : LookupCommit(repo, revision);
        if (commit?[path.FileName]?.Target is not Blob blob)
        {
            return null;
        }

        var size = SizeOf(repo, blob);
        return size > _options.MaxReadBytes
            ? new PageContent(path, "", blob.Sha, commit.Sha) { TooLarge = true, Size = size }
            : new PageContent(path, blob.GetContentText(PageText), blob.Sha, commit.Sha) { Size = size };
    }

    /// <summary>The id git gives the blob of <paramref name="text"/> (as a save stores it: UTF-8, as it is), without writing it.</summary>
    public static string BlobIdOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        sha.AppendData(Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"));
        sha.AppendData(bytes);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Largest text the read paths read whole (<see cref="PageStoreOptions.MaxReadBytes"/>).</summary>
    public long MaxReadBytes => _options.MaxReadBytes;

    /// <summary>
    /// The page's text as a stream, of any size (the download of a page too large to show); null if absent. Large
    /// texts are read one at a time: libgit2 holds a blob whole in memory while it is read.
    /// </summary>
    public async Task<Stream?> OpenText(PagePath path, string? revision = null, CancellationToken cancellationToken = default)
    {
        var lease = _readers.Rent();
        try
        {
            var commit = revision is null ? Tip(lease.Repository) : LookupCommit(lease.Repository, revision);
            if (commit?[path.FileName]?.Target is not Blob blob)
            {
                lease.Dispose();
                return null;
            }

            var large = SizeOf(lease.Repository, blob) > _options.MaxReadBytes;
            if (large)
            {
                await _largeReads.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new LeasedStream(blob.GetContentStream(), () =>
            {
                lease.Dispose();
                if (large)
                {
                    _largeReads.Release();
                }
            });
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>A blob's size from the object database's header, without reading (and inflating) the blob.</summary>
    private static long SizeOf(Repository repo, Blob blob) => repo.ObjectDatabase.RetrieveObjectMetadata(blob.Id).Size;

    /// <summary>Whether a page exists at the branch tip.</summary>
    public bool Exists(PagePath path)
    {
        using var lease = _readers.Rent();
        return Tip(lease.Repository)?[path.FileName]?.TargetType == TreeEntryTargetType.Blob;
    }

    /// <summary>All pages at the branch tip, sorted by path. Cached per tree.</summary>
    public IReadOnlyList<PagePath> ListPages() => ListPageBlobs().Pages.Select(e => e.Path).ToList();

    /// <summary>
    /// All pages at the branch tip with the id of their text, sorted by path, plus the tree id that identifies this
    /// state of the handbook. Cached per tree: callers can cache anything derived from a page by its blob id.
    /// </summary>
    public PageListing ListPageBlobs()
    {
        using var lease = _readers.Rent();
        var tree = Tip(lease.Repository)?.Tree;
        if (tree is null)
        {
            return PageListing.Empty;
        }

        var cached = _pageList;
        if (cached?.TreeId == tree.Sha)
        {
            return cached;
        }

        var pages = cached is { TreeId.Length: > 0 } && lease.Repository.Lookup<Tree>(cached.TreeId) is { } before
            ? PageListingDiff.Update(lease.Repository, before, tree, cached.Pages)
            : null;
        if (pages is null)
        {
            pages = [];
            PageListingDiff.CollectPages(tree, "", pages);
            pages.Sort((a, b) => a.Path.CompareTo(b.Path));
        }

        var listing = new PageListing(tree.Sha, pages);
        _pageList = listing;
        return listing;
    }

    /// <summary>Reads a page text by its blob id (as listed by <see cref="ListPageBlobs"/>); null if unknown or too large.</summary>
    public string? ReadBlob(string blobId) => ReadBlob(blobId, out _);

    /// <summary>
    /// Reads a page text by its blob id; null if unknown, or when it is larger than <see cref="MaxReadBytes"/>
    /// (<paramref name="tooLarge"/> then says so; it is not read).
    /// </summary>
    public string? ReadBlob(string blobId, out bool tooLarge)
    {
        tooLarge = false;
        using var lease = _readers.Rent();
        if (blobId.Length != 40 || !blobId.All(Uri.IsHexDigit) || lease.Repository.Lookup<Blob>(blobId) is not { } blob)
        {
            return null;
        }

        tooLarge = SizeOf(lease.Repository, blob) > _options.MaxReadBytes;
        return tooLarge ? null : blob.GetContentText(PageText);
    }

    /// <summary>Reads an attachment (image, PDF…) at the branch tip or a revision; null if absent.</summary>
    public byte[]? ReadAttachment(AttachmentPath path, string? revision = null)
    {
        using var lease = _readers.Rent();
        var commit = revision is null ? Tip(lease.Repository) : LookupCommit(lease.Repository, revision);
        if (commit?[path.Value]?.Target is not Blob blob)
        {
            return null;
        }

        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream((int)Math.Min(blob.Size, int.MaxValue));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Where a renamed page went: the new path, or null when <paramref name="path"/> is not a redirect.</summary>
    public PagePath? ResolveRedirect(PagePath path)
    {
        using var lease = _readers.Rent();
        return _redirectFile.Read(Tip(lease.Repository)).TryGetValue(path, out var target) ? target : null;
    }
}
