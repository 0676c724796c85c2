using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// Where renamed pages went: <c>.handbook/redirects</c> in the repository, one "old page TAB new page" per line,
/// read once per version of the file.
/// </summary>
internal sealed class RedirectFile
{
    /// <summary>The file's path in the repository.</summary>
    public const string Path = ".handbook/redirects";

    private volatile Cache? _cache;

    public IReadOnlyDictionary<PagePath, PagePath> Read(Commit? tip)
    {
        if (tip?[Path]?.Target is not Blob blob)
        {
            return new Dictionary<PagePath, PagePath>();
        }

        var cached = _cache;
        if (cached?.BlobId == blob.Sha)
        {
            return cached.Map;
        }

        var map = new Dictionary<PagePath, PagePath>();
        foreach (var line in blob.GetContentText(Encoding.UTF8).Split('\n'))
        {
            var parts = line.Trim().Split('\t');
            if (parts.Length == 2 && PagePath.TryParse(parts[0], out var from, out _) && PagePath.TryParse(parts[1], out var to, out _))
            {
                map[from] = to;
            }
        }

        _cache = new Cache(blob.Sha, map);
        return map;
    }

    public static void Write(Repository repo, TreeDefinition tree, IReadOnlyDictionary<PagePath, PagePath> redirects)
    {
        if (redirects.Count == 0)
        {
            tree.Remove(Path);
            return;
        }

        var text = new StringBuilder("# old page<TAB>new page, written by Handbook when a page is renamed\n");
        foreach (var (from, to) in redirects.OrderBy(r => r.Key))
        {
            text.Append(from.Value).Append('\t').Append(to.Value).Append('\n');
        }

        var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
        tree.Add(Path, blob, Mode.NonExecutableFile);
    }

    private sealed record Cache(string BlobId, IReadOnlyDictionary<PagePath, PagePath> Map);
}
