using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Handbook.Bench;

/// <summary>
/// A deterministic handbook: N Dutch-like pages in the handbook's sections (1–20 KB, headings, lists, tables,
/// wiki links, front matter) and M commits of edits by varied authors, written with `git fast-import` so that
/// 100,000 commits take minutes, not hours.
/// </summary>
public static class Corpus
{
    public static readonly string[] Sections = ["werking", "procedures", "wetgeving", "doelgroepen", "sociale-kaart", "backoffice"];

    private static readonly string[] Words =
    [
        "aanvraag", "leefloon", "cliënt", "maatschappelijk", "werker", "budget", "begeleiding", "huur", "woning", "waarborg",
        "schuld", "bemiddeling", "inkomen", "attest", "onderzoek", "verslag", "afspraak", "dossier", "recht", "integratie",
        "tewerkstelling", "artikel", "opvang", "gezin", "jongeren", "vluchtelingen", "bescherming", "zitdag", "partner",
        "doorverwijzing", "voorwaarden", "stappen", "termijn", "beslissing", "beroep", "energie", "factuur", "premie",
        "mantelzorg", "dementie", "geweld", "zwangerschap", "kind", "school", "werk", "opleiding", "taal", "gezondheid",
        "ziekenfonds", "pensioen", "handicap", "vervoer", "voedsel", "kleding", "hulp", "team", "expert", "jurist",
    ];

    private static readonly string[] Authors =
    [
        "Demo Maatschappelijk Assistent", "Demo Jurist Backoffice", "Demo Teamverantwoordelijke", "Demo Budgethulp",
        "Demo Tewerkstelling", "Demo ID-team", "Demo GGZ-medewerker", "Demo Referentie-MA",
    ];

    public static string PagePath(int i) => $"{Sections[i % Sections.Length]}/pagina-{i:D5}";

    /// <summary>Creates a bare repository at <paramref name="repository"/> holding the corpus; returns the time taken.</summary>
    public static TimeSpan Generate(string repository, int pages, int commits, int seed = 20261122)
    {
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(repository);
        Git(repository, "init -q --bare -b main .");
        var random = new Random(seed);
        var texts = new string[pages];
        for (var i = 0; i < pages; i++)
        {
            texts[i] = Page(random, i, pages);
        }

        var psi = new ProcessStartInfo("git", "fast-import --quiet --done")
        {
            WorkingDirectory = repository, RedirectStandardInput = true, UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        var time = new DateTimeOffset(2018, 1, 1, 8, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeSeconds();
        var step = (int)Math.Max(1, (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86400 * 7 - time) / Math.Max(1, commits));

        // Commit 1 adds every page; every later commit edits one page (a line changed, a line added, sometimes a rename).
        WriteCommit(input, "Demo Teamverantwoordelijke", time, "Startinhoud", files: Enumerable.Range(0, pages).Select(i => (PagePath(i), texts[i])));
        for (var c = 1; c < commits; c++)
        {
            time += step;
            var i = (int)Math.Min(pages - 1, Math.Abs(random.NextDouble() * random.NextDouble()) * pages); // some pages change far more often
            texts[i] = Edit(random, texts[i], c);
            WriteCommit(input, Authors[random.Next(Authors.Length)], time, $"Bijgewerkt: {Words[random.Next(Words.Length)]} ({c})", [(PagePath(i), texts[i])]);
        }

        input.WriteLine("done");
        input.Flush();
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("git fast-import failed");
        }

        return watch.Elapsed;
    }

    private static void WriteCommit(StreamWriter input, string author, long time, string message, IEnumerable<(string Path, string Text)> files)
    {
        var email = author.ToLowerInvariant().Replace(' ', '.') + "@demo.handbook.invalid";
        input.WriteLine("commit refs/heads/main");
        input.WriteLine($"author {author} <{email}> {time} +0100");
        input.WriteLine($"committer Handbook <handbook@localhost> {time} +0100");
        // Byte counts are UTF-8 lengths; the text goes through the same buffered writer (no flush per commit).
        input.WriteLine($"data {Encoding.UTF8.GetByteCount(message)}");
        input.WriteLine(message);
        // fast-import continues a branch from its last commit by itself: no "from" line needed.
        foreach (var (path, text) in files)
        {
            input.WriteLine($"M 100644 inline {path}.md");
            input.WriteLine($"data {Encoding.UTF8.GetByteCount(text)}");
            input.WriteLine(text);
        }
    }

    private static string Page(Random random, int i, int pages) =>
        PageOfSize(random, i, pages, random.NextDouble() < 0.8 ? random.Next(1000, 6000) : random.Next(6000, 20000));

    /// <summary>One page of the corpus of about <paramref name="target"/> characters (the editor bench uses 20 KB).</summary>
    public static string PageOfSize(Random random, int i, int pages, int target)
    {
        var sb = new StringBuilder();
        sb.Append("---\ntitle: ").Append(Sentence(random, 3)).Append(' ').Append(i).Append('\n');
        sb.Append("summary: ").Append(Sentence(random, 10)).Append('\n');
        sb.Append("owner: Backoffice ").Append(Words[random.Next(Words.Length)]).Append('\n');
        sb.Append("tags: [").Append(Words[random.Next(Words.Length)]).Append(", ").Append(Words[random.Next(Words.Length)]).Append("]\n");
        sb.Append("review_by: ").Append(new DateOnly(2026, 1, 1).AddDays(random.Next(900)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\n---\n");
        sb.Append("# ").Append(Sentence(random, 4)).Append("\n\n");
        while (sb.Length < target)
        {
            sb.Append("## ").Append(Sentence(random, 3)).Append("\n\n");
            sb.Append(Sentence(random, 25)).Append(" Zie [[").Append(PagePath(random.Next(pages))).Append("]].\n\n");
            for (var k = random.Next(2, 6); k > 0; k--)
            {
                sb.Append("- ").Append(Sentence(random, 8)).Append('\n');
            }

            sb.Append('\n');
            if (random.Next(4) == 0)
            {
                sb.Append("| Stap | Wie | Wat |\n|---|---|---|\n");
                for (var r = 1; r <= 4; r++)
                {
                    sb.Append("| ").Append(r).Append(" | ").Append(Words[random.Next(Words.Length)]).Append(" | ").Append(Sentence(random, 5)).Append(" |\n");
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    private static string Edit(Random random, string text, int commit)
    {
        var lines = text.Split('\n').ToList();
        var at = random.Next(8, Math.Max(9, lines.Count - 1));
        if (random.Next(3) == 0)
        {
            lines.Insert(at, Sentence(random, 12) + $" (wijziging {commit})");
        }
        else if (lines[at].Length > 0 && !lines[at].StartsWith('|'))
        {
            lines[at] = Sentence(random, 12) + $" (wijziging {commit})";
        }
        else
        {
            lines.Insert(at, "");
        }

        return string.Join('\n', lines);
    }

    private static string Sentence(Random random, int words)
    {
        var sb = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
            {
                sb.Append(' ');
            }

            sb.Append(Words[random.Next(Words.Length)]);
        }

        sb[0] = char.ToUpperInvariant(sb[0]);
        return sb.ToString();
    }

    public static string Git(string workDir, string args)
    {
        var psi = new ProcessStartInfo("git", args) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"git {args}: {p.StandardError.ReadToEnd()}");
    }
}
