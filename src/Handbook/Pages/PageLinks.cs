using Handbook.GitStore;

namespace Handbook.Pages;

/// <summary>
/// The routes of a page, in one place: the page, its history, diff, blame, raw text, editor, restore, rename and
/// delete. Routes are part of the product (stable and shareable); each path segment is escaped, so accented page
/// names work in every link.
/// </summary>
public static class PageLinks
{
    public static string Page(PagePath path) => "/wiki/" + Escaped(path);

    public static string History(PagePath path) => "/history/" + Escaped(path);

    public static string Blame(PagePath path) => "/blame/" + Escaped(path);

    public static string Edit(PagePath path) => "/edit/" + Escaped(path);

    public static string Rename(PagePath path) => "/rename/" + Escaped(path);

    public static string Delete(PagePath path) => "/delete/" + Escaped(path);

    /// <summary>The Markdown text (a download when the page is too large to show), at the tip or at a revision.</summary>
    public static string Raw(PagePath path, string? revision = null) => "/raw/" + Escaped(path) + (revision is null ? "" : "?rev=" + revision);

    public static string Diff(PagePath path, string? from, string? to) => $"/diff/{Escaped(path)}?from={from}&to={to}";

    public static string Restore(PagePath path, string revision) => $"/restore/{Escaped(path)}?rev={revision}";

    /// <summary>A shared page's adaptation: its differences with the shared version, take or leave the region's changes, propose ours.</summary>
    public static string Shared(PagePath path) => "/gedeeld/" + Escaped(path);

    /// <summary>The page's path with each segment escaped.</summary>
    public static string Escaped(PagePath path) => string.Join('/', path.Value.Split('/').Select(Uri.EscapeDataString));
}
