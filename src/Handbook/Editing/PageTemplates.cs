namespace Handbook.Editing;

/// <summary>Starting text for a new page, per kind of page. Headings and front matter keys, no invented facts.</summary>
public static class PageTemplates
{
    public static readonly IReadOnlyList<string> Kinds = ["procedure", "wetgeving", "doelgroep", "partner", "leeg"];

    /// <summary>The default section of a kind of page.</summary>
    public static string Section(string kind) => kind switch
    {
        "procedure" => "procedures",
        "wetgeving" => "wetgeving",
        "doelgroep" => "doelgroepen",
        "partner" => "sociale-kaart",
        _ => "werking",
    };

    public static string Create(string kind, string title)
    {
        var review = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var head = $"---\ntitle: {Rendering.FrontMatterText.Scalar(title)}\nsummary: \nowner: \nreview_by: {review}\n";
        return kind switch
        {
            "procedure" => head + "tags: [procedure]\n---\n# " + title + "\n\n## Voor wie\n\n## Voorwaarden\n\n## Stappen\n\n1. \n\n## Wie helpt\n\n## Bronnen\n",
            "wetgeving" => head + "valid_from: \nsources: []\ntags: [wetgeving]\n---\n# " + title + "\n\n> [!WETGEVING]\n> Wat verandert er, vanaf wanneer, voor wie?\n\n## Wat verandert\n\n## Wat betekent dit voor de cliënt\n\n## Wat doet de MA\n\n## Bron\n",
            "doelgroep" => head + "doelgroepen: []\ntags: [doelgroep]\n---\n# " + title + "\n\n## Wie\n\n## Waar let je op\n\n## Referentie-MA\n\n## Partners\n",
            // The partner fields (docs/partner-pages.md) are there empty, to be filled in the form or with git; an empty
            // field shows as "nog aan te vullen".
            "partner" => head + "afkorting: \nthemas: []\ndoelgroepen: []\nadressen: []\ntelefoon: \nemail: \nwebsite: \nopeningsuren: \n"
                + "verwijzen: []\nzitdagen: []\ntags: [sociale kaart, partner]\n---\n# " + title
                + "\n\n## Waarmee helpen ze?\n\n## Zitdag in het Sociaal Huis?\n\nDag, uren, lokaal en afspraak vul je in bij de gegevens van de pagina (Sociale kaart). "
                + "Daaruit komen het overzicht en Deze week in het Sociaal Huis.\n\n## Hoe verwijs je door?\n\n- [ ] \n",
            _ => head + "---\n# " + title + "\n\n",
        };
    }
}
