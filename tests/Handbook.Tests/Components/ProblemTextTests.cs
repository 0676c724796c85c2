using System.Globalization;
using Handbook.Components;
using Handbook.Rendering;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handbook.Tests.Components;

/// <summary>Every reason a page is shown as plain text reads as a sentence in both UI languages, with its figures.</summary>
public sealed class ProblemTextTests
{
    private static readonly IStringLocalizer<SharedResource> L = new StringLocalizer<SharedResource>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance));

    [Theory]
    [InlineData("nl-BE")]
    [InlineData("en")]
    public void EveryProblemKind_HasItsOwnTextInEachLanguage(string culture)
    {
        var before = CultureInfo.CurrentUICulture;
        var beforeFormat = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            var texts = new HashSet<string>(StringComparer.Ordinal);
            foreach (var kind in Enum.GetValues<RenderProblemKind>())
            {
                var text = ProblemText.Describe(L, new RenderProblem(kind, 3_000_000, 2_097_152, "InvalidOperationException"));
                Assert.False(text.StartsWith("Problem", StringComparison.Ordinal), $"{kind} has no text in {culture}: {text}");
                Assert.True(texts.Add(text), $"{kind} reads like another kind: {text}");
                Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            }

            var tooLarge = ProblemText.Describe(L, new RenderProblem(RenderProblemKind.TooLarge, 3_000_000, 2_097_152));
            Assert.Contains(3_000_000.ToString("N0", CultureInfo.CurrentCulture), tooLarge, StringComparison.Ordinal);
            Assert.Contains(culture == "en" ? "too large" : "te groot", tooLarge, StringComparison.Ordinal);
            Assert.Contains("InvalidOperationException", ProblemText.Describe(L, new RenderProblem(RenderProblemKind.Failed, Detail: "InvalidOperationException")), StringComparison.Ordinal);
            Assert.Contains(culture == "en" ? "2.9" : "2,9", ProblemText.Describe(L, new RenderProblem(RenderProblemKind.TooLargeToShow, 3_000_000, 8 * 1024 * 1024)), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
            CultureInfo.CurrentCulture = beforeFormat;
        }
    }
}
