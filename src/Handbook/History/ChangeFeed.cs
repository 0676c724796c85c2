using System.ServiceModel.Syndication;
using System.Xml;
using Handbook.Catalog;
using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.History;

/// <summary>Recent changes as an Atom feed, for a manager's feed reader or Outlook. Behind sign-in like every route.</summary>
public static class ChangeFeed
{
    public static void MapChangeFeed(this WebApplication app) =>
        app.MapGet("/changes.atom", (HttpContext context, PageStore store, HandbookCatalog catalog, IOptions<HandbookOptions> options, string? section, string? author) =>
        {
            var request = context.Request;
            // The configured address when there is one; the Host header has passed host filtering otherwise.
            var baseUri = options.Value.PublicBaseUri ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
            var changes = store.RecentChanges(new ChangeQuery(Take: 50, Folder: section, Author: author)).Items;
            var snapshot = catalog.Current;
            var items = changes.Select(c =>
            {
                var title = Xml(snapshot.Pages.TryGetValue(c.Path, out var page) ? page.Title : c.Path.Value);
                var summary = Xml(c.Summary);
                var who = Xml(c.Author.Name);
                var link = c.Kind == ChangeKind.Deleted
                    ? new Uri(baseUri, "history/" + c.Path.Value)
                    : new Uri(baseUri, CatalogSnapshot.Href(c.Path).TrimStart('/') + "?rev=" + c.Revision);
                var item = new SyndicationItem($"{title}: {summary}", $"{c.Kind} · {who} · {summary}", link,
                    $"urn:handbook:change:{c.Revision}:{c.Path.Value}", c.When);
                item.Authors.Add(new SyndicationPerson { Name = who });
                item.Categories.Add(new SyndicationCategory(c.Kind.ToString().ToLowerInvariant()));
                return item;
            }).ToList();
            var feed = new SyndicationFeed("Handboek — recente wijzigingen", "Wie wijzigde wat en waarom",
                new Uri(baseUri, "changes"), "urn:handbook:changes", changes.Count > 0 ? changes[0].When : DateTimeOffset.UnixEpoch, items);
            return Results.Stream(async stream =>
            {
                var settings = new XmlWriterSettings { Async = true, Encoding = new System.Text.UTF8Encoding(false), Indent = true };
                await using var writer = XmlWriter.Create(stream, settings);
                new Atom10FeedFormatter(feed).WriteTo(writer);
                await writer.FlushAsync().ConfigureAwait(false);
            }, "application/atom+xml; charset=utf-8");
        });

    /// <summary>
    /// Text as XML 1.0 allows it: commit messages (from the app or pushed through git) and page titles may hold control
    /// characters (ESC, BEL, vertical tab…) that XML forbids, and the writer would stop mid-feed on the first one.
    /// </summary>
    internal static string Xml(string text)
    {
        if (text.All(c => XmlConvert.IsXmlChar(c)))
        {
            return text;
        }

        var clean = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i]))
            {
                clean.Append(text[i]);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                clean.Append(text[i]).Append(text[++i]);
            }
            else if (char.IsControl(text[i]))
            {
                clean.Append(' ');
            }
        }

        return clean.ToString();
    }
}
