using Handbook.Rendering;

namespace Handbook.Editing;

/// <summary>The metadata form of the editor: strings as typed; lists comma-separated (sources one per line).</summary>
public sealed class MetaFields
{
    public string? Title { get; set; }

    public string? Summary { get; set; }

    public string? Owner { get; set; }

    public string? Doelgroepen { get; set; }

    public string? Tags { get; set; }

    public DateOnly? ReviewBy { get; set; }

    public DateOnly? ValidFrom { get; set; }

    public string? Sources { get; set; }

    public string? Aliases { get; set; }

    /// <summary>The fields of a partner page (sociale kaart); filled from the front matter by the edit session.</summary>
    public Partners.PartnerForm Partner { get; set; } = new();

    public void From(FrontMatter meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        Title = meta.Title;
        Summary = meta.Summary;
        Owner = meta.Owner;
        Doelgroepen = string.Join(", ", meta.Doelgroepen);
        Tags = string.Join(", ", meta.Tags);
        ReviewBy = meta.ReviewBy;
        ValidFrom = meta.ValidFrom;
        Sources = string.Join("\n", meta.Sources);
        Aliases = string.Join(", ", meta.Aliases);
    }

    public void CopyFrom(MetaFields other)
    {
        ArgumentNullException.ThrowIfNull(other);
        (Title, Summary, Owner, Doelgroepen, Tags) = (other.Title, other.Summary, other.Owner, other.Doelgroepen, other.Tags);
        (ReviewBy, ValidFrom, Sources, Aliases) = (other.ReviewBy, other.ValidFrom, other.Sources, other.Aliases);
        Partner = (other.Partner ?? new()).Clone();
    }

    public FrontMatter ToFrontMatter() => new()
    {
        Title = Clean(Title),
        Summary = Clean(Summary),
        Owner = Clean(Owner),
        Doelgroepen = Split(Doelgroepen, ','),
        Tags = Split(Tags, ','),
        ReviewBy = ReviewBy,
        ValidFrom = ValidFrom,
        Sources = Split(Sources, '\n'),
        Aliases = Split(Aliases, ','),
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IReadOnlyList<string> Split(string? value, char separator) =>
        (value ?? "").Split(separator).Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
}
