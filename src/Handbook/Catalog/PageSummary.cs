using Handbook.GitStore;
using Handbook.Rendering;

namespace Handbook.Catalog;

/// <summary>One page as the catalog knows it: metadata and outgoing links, parsed once per blob.</summary>
public sealed record PageSummary(PagePath Path, string BlobId, ParsedPage Parsed)
{
    public string Title => Parsed.Title;

    public FrontMatter Meta => Parsed.Meta;
}
