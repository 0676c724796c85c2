using System.Text.RegularExpressions;
using Handbook.Rendering;
using Markdig;

namespace Handbook.Tests;

/// <summary>
/// Our pipeline must not break plain Markdown: every example of the CommonMark specification (npm commonmark-spec,
/// installed by test.sh) renders as the spec says, except where one of our extensions is meant to apply.
/// </summary>
public sealed partial class CommonMarkSpecTests
{
    // Text that switches on an extension of ours: tables, autolinks, emphasis extras, footnotes, task lists,
    // definition lists, grid tables, front matter, wiki links, call-outs.
    private static readonly string[] Triggers = ["|", "www.", "http", "ftp", "mailto:", "~", "^", "+-", "==", "++", "[[", "[!", "[ ]", "[x]", "[X]", "\n:", ":\n"];

    [Fact]
    public void SpecExamples_WhereOurExtensionsDoNotApply_RenderAsTheSpecSays()
    {
        var specPath = Path.Combine(StarterContentTests.RepositoryRoot, "tests", "tools", "node_modules", "commonmark-spec", "spec.txt");
        Assert.True(File.Exists(specPath), $"{specPath} is missing: ./test.sh installs it (npm ci in tests/tools)");
        var spec = File.ReadAllText(specPath).ReplaceLineEndings("\n");
        var examples = Example().Matches(spec).Select(m => (Markdown: m.Groups[1].Value.Replace('→', '\t'), Html: m.Groups[2].Value.Replace('→', '\t'))).ToList();
        Assert.True(examples.Count > 600, $"{examples.Count} examples found");

        var checkedCount = 0;
        var failures = new List<string>();
        for (var i = 0; i < examples.Count; i++)
        {
            var (markdown, expected) = examples[i];
            if (markdown.StartsWith("---", StringComparison.Ordinal) || Triggers.Any(t => markdown.Contains(t, StringComparison.Ordinal)))
            {
                continue;
            }

            checkedCount++;
            var actual = Normalize(HeadingId().Replace(Markdown.ToHtml(markdown, MarkdownRenderer.Pipeline), "$1"));
            if (actual != Normalize(expected))
            {
                failures.Add($"example {i + 1}: {markdown.Trim()} → {actual.Trim()} (spec: {expected.Trim()})");
            }
        }

        Assert.True(checkedCount > 400, $"only {checkedCount} examples checked");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedCount} examples differ:\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>As the spec's own test runner does: line breaks between tags carry no meaning.</summary>
    private static string Normalize(string html) => BetweenTags().Replace(html, "><").Trim();

    [GeneratedRegex(@">[ \t]*\n\s*<")]
    private static partial Regex BetweenTags();

    [GeneratedRegex(@"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$", RegexOptions.Multiline)]
    private static partial Regex Example();

    // Heading anchors are our addition; the spec has none.
    [GeneratedRegex(@"(<h[1-6]) id=""[^""]*""")]
    private static partial Regex HeadingId();
}
