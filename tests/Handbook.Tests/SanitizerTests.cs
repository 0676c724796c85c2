using Handbook.Rendering;

namespace Handbook.Tests;

public sealed class SanitizerTests(RenderFixture fixture) : IClassFixture<RenderFixture>
{
    public static TheoryData<string> Hostile => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[klik](javascript:alert(1))",
        "[klik](JaVaScRiPt:alert(1))",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<object data=\"x.swf\"></object><embed src=\"x\">",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<div style=\"background:url(https://evil.example/leak)\">x</div>",
        "<p style=\"position:fixed;top:0\">x</p>",
        "<scr<script>ipt>alert(1)</script>",
        "<form action=\"https://evil.example\"><input name=a><button>go</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>x</details>",
        "<a href=\"#\" onclick=\"alert(1)\">x</a>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<base href=\"https://evil.example/\">",
        "<style>body{background:url(https://evil.example)}</style>",
        "![x](javascript:alert(1))",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileMarkup_IsDefused(string markdown)
    {
        var html = fixture.Render("Tekst\n\n" + markdown + "\n\nEinde").Html.ToLowerInvariant();
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onload", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ontoggle", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<object", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<embed", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<meta", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<base", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("position", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:text", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image/svg", html, StringComparison.Ordinal);
        if (!markdown.Contains("<style>", StringComparison.Ordinal))
        {
            // (An unclosed <style> swallows the rest of its HTML block: lost for display, never executed.)
            Assert.Contains("einde", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SafeMarkup_Survives()
    {
        var html = fixture.Render("<abbr title=\"x\">X</abbr> <kbd>Ctrl</kbd> ![foto](data:image/png;base64,iVBORw0KGgo=) [mail](mailto:a@stad.example)").Html;
        Assert.Contains("<abbr title=\"x\">X</abbr>", html, StringComparison.Ordinal);
        Assert.Contains("<kbd>Ctrl</kbd>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo=\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:a@stad.example\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalLinks_GetNoOpener()
    {
        var html = fixture.Render("[x](https://example.org)").Html;
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeAndDeeplyNestedInput_RendersWithoutCrashing()
    {
        // 10,000 levels of quotes and of lists, 100,000 wiki links, more than 2 million characters: plain text with a notice.
        Assert.Equal(RenderProblemKind.TooDeep, fixture.Render(new string('>', 10_000) + " diep\n").Problem?.Kind);
        Assert.Equal(RenderProblemKind.TooDeep, fixture.Render(string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n").Problem?.Kind);
        var many = fixture.Render(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"[[p{i}]] ")));
        Assert.Equal(RenderProblemKind.TooManyParts, many.Problem?.Kind);
        var links = many.Html;
        Assert.Contains("[[p99]]", links, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", links, StringComparison.Ordinal);
        var hugePage = fixture.Render(new string('a', MarkdownRenderer.MaxFormattedChars + 1) + "<script>alert(1)</script>");
        Assert.Equal(RenderProblemKind.TooLarge, hugePage.Problem?.Kind);
        Assert.True(hugePage.ShowsBeginningOnly);
        var huge = hugePage.Html;
        Assert.DoesNotContain("<script", huge, StringComparison.Ordinal);

        // A long but real overview page is still formatted.
        var overview = fixture.Render(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"- [[p{i}]]\n"))).Html;
        Assert.Equal(2_000, System.Text.RegularExpressions.Regex.Count(overview, "wikilink-missing"));
    }
}
