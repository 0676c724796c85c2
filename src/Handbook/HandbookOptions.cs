using System.ComponentModel.DataAnnotations;
using Handbook.GitStore;

namespace Handbook;

/// <summary>The <c>Handbook</c> configuration section.</summary>
public sealed class HandbookOptions
{
    public const string Section = "Handbook";

    /// <summary>Where the repository, indexes and local state live. Relative paths start at the working directory.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>The starter handbook copied into a new repository.</summary>
    [Required]
    public string SeedPath { get; set; } = "content/handbook";

    /// <summary>The page with the acronym table.</summary>
    [Required]
    public string GlossaryPage { get; set; } = "afkortingen";

    /// <summary>The page with the synonym table ("woord of uitdrukking | betekent ook"), applied by search at query time.</summary>
    [Required]
    public string SynonymPage { get; set; } = "synoniemen";

    /// <summary>
    /// Days a search without an answer (no results, or no result opened) is kept for "Zoekvragen zonder antwoord".
    /// Only the query text and the time are kept, never who asked.
    /// </summary>
    [Range(1, 3650)]
    public int SearchLogDays { get; set; } = 90;

    /// <summary>The sociale kaart: this page is its generated overview, the pages under it are partner pages.</summary>
    [Required]
    public string PartnerSection { get; set; } = "sociale-kaart";

    /// <summary>E-mail addresses that get the Beheerder (administrator) role, besides the role claim.</summary>
    public IList<string> Administrators { get; } = [];

    /// <summary>
    /// Entra ID group object ids mapped to team names as pages' <c>owner</c> fields write them: a worker in such a group
    /// is a member of that team (the development sign-in names the team itself).
    /// </summary>
    public IDictionary<string, string> TeamGroups { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest attachment accepted, in bytes (default 20 MB).</summary>
    [Range(1, 200 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Uploads one worker may make a minute (each is a commit).</summary>
    [Range(1, 10_000)]
    public int UploadsPerMinute { get; set; } = 30;

    /// <summary>E-mail domains of the organisation: addresses elsewhere are pointed out by the privacy guard.</summary>
    public IList<string> OrganisationDomains { get; } = [];

    /// <summary>
    /// Days an offline copy on a worker's device stays readable without a successful signed-in visit (then it is
    /// deleted on the device). See docs/deployment.md, "Offline copies".
    /// </summary>
    [Range(1, 90)]
    public int OfflineDays { get; set; } = 14;

    /// <summary>
    /// How often the app looks at its repository's loose objects and packs (minutes; 0: never). When there are at
    /// least <see cref="MaintenanceLooseObjects"/> loose objects or 20 packs, git gc runs under the store's writer lock.
    /// </summary>
    [Range(0, 24 * 60)]
    public int MaintenanceMinutes { get; set; } = 10;

    /// <summary>
    /// A start without a history index snapshot on a repository with more commits than this builds the index in the
    /// background (history, recent changes and blame say how far it is) instead of before the first page is served.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int HistoryInBackgroundAbove { get; set; } = 2000;

    /// <summary>The hour (server time) from which the daily digest, and on Mondays the weekly one, is mailed.</summary>
    [Range(0, 23)]
    public int DigestHour { get; set; } = 7;

    /// <summary>Loose objects that start a maintenance run (a save writes three to five).</summary>
    [Range(1, 1_000_000)]
    public int MaintenanceLooseObjects { get; set; } = 1000;

    /// <summary>Attachments larger than this are not taken offline (default 1 MB): a phone's storage is not a file share.</summary>
    [Range(0, 200 * 1024 * 1024)]
    public long OfflineMaxAttachmentBytes { get; set; } = 1024 * 1024;

    /// <summary>The optional upstream git remote (section Handbook:Upstream).</summary>
    public UpstreamSettings Upstream { get; } = new();

    /// <summary>The optional shared (regional) handbook mounted in this one (section Handbook:Region).</summary>
    public RegionSettings Region { get; } = new();

    /// <summary>
    /// This instance's name when several serve one handbook behind a proxy (letters, digits, '-' and '_'). It is
    /// sent as the <c>handbook_node</c> cookie the proxy routes on, so a worker's requests and Blazor circuit stay
    /// on one instance, and as the <c>X-Handbook-Instance</c> response header. None for a single instance.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,32}$")]
    public string? InstanceName { get; set; }

    /// <summary>
    /// The data-protection key ring (sign-in cookies, antiforgery). Relative paths start at the data folder. Give
    /// all instances the same folder (a shared mount) so a worker stays signed in when the proxy fails over.
    /// </summary>
    public string KeysPath { get; set; } = "keys";

    /// <summary>
    /// The address workers use, e.g. <c>https://handboek.stad.example</c>. Links in the change feed and the sign-in
    /// redirect are built from it (never from a request's Host header), and only its host name is accepted in the
    /// Host header unless <c>AllowedHosts</c> says otherwise. Required in Production unless <c>AllowedHosts</c> is set.
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary><see cref="PublicUrl"/> as a URI ending in '/', or null.</summary>
    public Uri? PublicBaseUri => Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
        : null;

    /// <summary>The committer of every commit.</summary>
    public string CommitterName { get; set; } = "Handbook";

    /// <summary>The committer's e-mail.</summary>
    public string CommitterEmail { get; set; } = "handbook@localhost";

    /// <summary>
    /// The full path of the data folder. A relative path starts where the seed folder was found (the checkout's
    /// root for <c>dotnet run --project src/Handbook</c>), so the handbook lives in one <c>data/</c> wherever the
    /// app is started from.
    /// </summary>
    public string DataFullPath => Path.IsPathRooted(DataPath) ? DataPath : Path.GetFullPath(Path.Combine(FindBase() ?? Directory.GetCurrentDirectory(), DataPath));

    /// <summary>The full path of the key ring folder.</summary>
    public string KeysFullPath => Path.GetFullPath(Path.Combine(DataFullPath, KeysPath));

    /// <summary>
    /// The full path of the seed folder: relative to the working directory, or else to a parent of it or of the
    /// application, so that <c>dotnet run --project src/Handbook</c> finds <c>content/handbook</c> from anywhere.
    /// </summary>
    public string SeedFullPath
    {
        get
        {
            if (Path.IsPathRooted(SeedPath))
            {
                return SeedPath;
            }

            return Path.GetFullPath(Path.Combine(FindBase() ?? Directory.GetCurrentDirectory(), SeedPath));
        }
    }

    private string? FindBase()
    {
        if (Path.IsPathRooted(SeedPath))
        {
            return null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, SeedPath)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}

/// <summary>The upstream remote: URL and credentials from configuration or environment (never logged).</summary>
public sealed class UpstreamSettings
{
    public string? Url { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How often to fetch when nothing happens locally.</summary>
    [Range(1, 86400)]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>The store's view of these settings; null when no upstream is configured.</summary>
    public UpstreamOptions? ToOptions() => string.IsNullOrWhiteSpace(Url) ? null : new UpstreamOptions(Url, Username, Password);

    /// <summary>Never the credentials.</summary>
    public override string ToString() => ToOptions()?.DisplayUrl ?? "(none)";
}

/// <summary>
/// A shared (regional) handbook that several cities use: a git repository fetched like the upstream and mounted under
/// <see cref="Prefix"/>. Its pages are read, linked, searched and followed like this handbook's own; a city adapts a
/// page for itself and offers its version back as a branch. See docs/deployment.md, "A shared regional handbook".
/// </summary>
public sealed class RegionSettings
{
    /// <summary>The regional repository (https://…, ssh://…, file:///…); none: no shared handbook.</summary>
    public string? Url { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The regional branch that is read (never written).</summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")]
    public string Branch { get; set; } = "main";

    /// <summary>The folder the shared pages are under here.</summary>
    [RegularExpression("^[a-z0-9][a-z0-9_-]{0,39}$")]
    public string Prefix { get; set; } = "regio";

    /// <summary>How often the region is fetched.</summary>
    [Range(10, 86400)]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>
    /// Whether this instance imports the region. With several instances of one city behind a proxy, one imports and
    /// the others receive the shared part through the city's upstream (each imports otherwise, and history shows
    /// every regional change once per instance).
    /// </summary>
    public bool Import { get; set; } = true;

    /// <summary>What the workers call the shared handbook, e.g. "Regio Rivierenland".</summary>
    public string Name { get; set; } = "Gedeeld handboek";

    /// <summary>The cities and organisations that share it, shown on its pages ("gedeeld met …").</summary>
    public IList<string> Members { get; } = [];

    /// <summary>This city's name: proposals are branches <c>voorstel/&lt;city&gt;/…</c> and say who proposed.</summary>
    public string City { get; set; } = "";

    /// <summary>
    /// The address of the region's own instance (a Handbook on the regional repository), where regional editors edit
    /// shared pages directly; none: no such link.
    /// </summary>
    [Url]
    public string? EditUrl { get; set; }

    /// <summary>E-mail addresses of the regional editors: they get the link to edit a shared page in the region itself.</summary>
    public IList<string> Editors { get; } = [];

    /// <summary>The store's view of the remote; null when no region is configured.</summary>
    public UpstreamOptions? ToOptions() => string.IsNullOrWhiteSpace(Url) ? null : new UpstreamOptions(Url, Username, Password);

    /// <summary>Where the region is mounted; null when none is configured.</summary>
    public RegionMount? ToMount() => string.IsNullOrWhiteSpace(Url) ? null : new RegionMount(Prefix, Branch);

    /// <summary>Never the credentials.</summary>
    public override string ToString() => ToOptions()?.DisplayUrl ?? "(none)";
}
