namespace Handbook.Tests;

/// <summary>A small handbook written into a temp folder: the seed for app tests, independent of the real content.</summary>
public static class TestHandbook
{
    public static string Create(string root)
    {
        var seed = Path.Combine(root, "seed");
        Write(seed, "index.md", "---\ntitle: Welkom\n---\n# Welkom\n\nLees [[procedures/leefloon-aanvragen]].\n");
        Write(seed, "procedures.md", "---\ntitle: Procedures\n---\nAlle procedures: [[procedures/leefloon-aanvragen]], [[Huurwaarborg]].\n");
        Write(seed, "procedures/leefloon-aanvragen.md", """
            ---
            title: Leefloon aanvragen
            summary: Hoe je samen met de cliënt een leefloon aanvraagt.
            owner: Backoffice juristen
            doelgroepen: [Oekraïners, Vluchtelingen]
            tags: [leefloon, inkomen]
            review_by: 2020-01-31
            valid_from: 2026-12-01
            sources:
              - https://www.mi-is.be
            aliases: [RMI]
            ---
            # Leefloon aanvragen

            De MA start de aanvraag. Vraag raad aan het SVK of het CAW.

            ## Voorwaarden

            Zie [[doelgroepen/oekrainers|de pagina over Oekraïners]] en [[Huurwaarborg]].

            > [!LET OP]
            > Zet nooit gegevens van cliënten in het handboek.

            ## Stappen

            - [x] Intake
            - [ ] Sociaal onderzoek

            | Stap | Wie |
            |------|-----|
            | 1 | MA |

            Meer weten over [[procedures/bestaat-niet]]?
            """);
        Write(seed, "procedures/huurwaarborg.md", "---\ntitle: Huurwaarborg\nowner: Demo Jurist Backoffice\nreview_by: 2020-05-01\n---\nHuurwaarborg via het OCMW.\n");
        Write(seed, "doelgroepen/oekrainers.md", "---\ntitle: Oekraïners\n---\nTijdelijke bescherming. Terug naar [[procedures/leefloon-aanvragen]].\n");
        Write(seed, "afkortingen.md", """
            ---
            title: Afkortingen
            ---
            | Afkorting | Betekenis |
            |-----------|-----------|
            | CAW | Centrum Algemeen Welzijnswerk |
            | MA | maatschappelijk assistent |
            | OCMW | Openbaar Centrum voor Maatschappelijk Welzijn |
            | SVK | sociaal verhuurkantoor |
            | XYZ | |
            """);
        Write(seed, "werking/beleid.md", "---\ntitle: Beleid\nprotected: true\n---\nDit beleid wijzigt alleen een beheerder. Zie [[procedures/huurwaarborg]].\n");
        Write(seed, "procedures/schema.png", Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
        return seed;
    }

    /// <summary>A page of hostile Markdown/HTML: a browser test proves none of it executes.</summary>
    public static void AddHostilePage(string seed) => Write(seed, "werking/vijandig.md", """
        ---
        title: Vijandige inhoud
        ---
        Vijandige inhoud hieronder.

        <script>window.__xss = 'script';</script>
        <img src="x" onerror="window.__xss = 'onerror'">
        <svg onload="window.__xss = 'svg'"><circle r="1" /></svg>
        <iframe src="javascript:window.parent.__xss = 'iframe'"></iframe>
        <details open ontoggle="window.__xss = 'ontoggle'">x</details>

        [klik hier](javascript:window.__xss='link')

        <a href="javascript:window.__xss='a'" id="evil-link">nog een link</a>

        Einde van de pagina.
        """);

    private static void Write(string seed, string relative, string text) =>
        Write(seed, relative, System.Text.Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n") + (text.EndsWith('\n') ? "" : "\n")));

    private static void Write(string seed, string relative, byte[] bytes)
    {
        var path = Path.Combine(seed, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}
