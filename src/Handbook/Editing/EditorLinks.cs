using System.Text.RegularExpressions;

namespace Handbook.Editing;

/// <summary>
/// The wiki link targets of a page body, as the visual editor reads them (<c>[[target]]</c>, <c>[[target|label]]</c>,
/// trimmed; the rule of Editor/src/markdown.js), so an editor opened before the circuit can show their titles.
/// </summary>
public static partial class EditorLinks
{
    /// <summary>At most <paramref name="limit"/> distinct targets, in order of appearance.</summary>
    public static IReadOnlyList<string> Targets(string body, int limit = 500) =>
        WikiLink().Matches(body ?? "")
            .Select(m => m.Groups[1].Value)
            .Select(inner => (inner.Contains('|', StringComparison.Ordinal) ? inner[..inner.IndexOf('|', StringComparison.Ordinal)] : inner).Trim())
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(limit)
            .ToList();

    [GeneratedRegex(@"\[\[([^\[\]\n]{1,300}?)\]\]", RegexOptions.None, 500)]
    private static partial Regex WikiLink();
}
