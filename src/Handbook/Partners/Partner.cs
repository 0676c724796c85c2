using Handbook.Catalog;
using Handbook.GitStore;

namespace Handbook.Partners;

/// <summary>A partner page: the catalog's summary of it (title, summary, target groups) and its partner fields.</summary>
public sealed record Partner(PageSummary Page, PartnerProfile Profile)
{
    public PagePath Path => Page.Path;

    public string Title => Page.Title;

    /// <summary>The acronym, else the title: what the partner is called in a list.</summary>
    public string ShortName => Profile.Acronym ?? Page.Title;

    public IReadOnlyList<string> TargetGroups => Page.Meta.Doelgroepen;
}
