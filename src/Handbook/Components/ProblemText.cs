using System.Globalization;
using Handbook.Rendering;
using Microsoft.Extensions.Localization;

namespace Handbook.Components;

/// <summary>A page's <see cref="RenderProblem"/> in the reader's language: the one place that words them.</summary>
public static class ProblemText
{
    public static string Describe(IStringLocalizer<SharedResource> l, RenderProblem problem)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(problem);
        static string N(long n) => n.ToString("N0", CultureInfo.CurrentCulture);
        static string Mb(long bytes, string format) => (bytes / 1024.0 / 1024.0).ToString(format, CultureInfo.CurrentCulture);
        return problem.Kind switch
        {
            RenderProblemKind.TooLargeToShow when problem.Amount == 0 => l["PageTooLargeToRead", Mb(problem.Limit, "N0")],
            RenderProblemKind.TooLargeToShow => l["PageTooLargeToShow", Mb(problem.Amount, "N1"), Mb(problem.Limit, "N0")],
            var kind => l["Problem" + kind, N(problem.Amount), N(problem.Limit), problem.Detail ?? ""],
        };
    }
}
