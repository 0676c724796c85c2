using System.Text.RegularExpressions;
using Handbook.GitStore;

namespace Handbook.Editing;

/// <summary>Points wiki links at a page's new name: <c>[[old]]</c>, <c>[[old|label]]</c>, <c>[[old#part]]</c>.</summary>
public static class LinkRewriter
{
    public static string Rewrite(string text, PagePath from, PagePath to) =>
        Regex.Replace(text, @"\[\[\s*" + Regex.Escape(from.Value) + @"\s*(?=[\]|#])", "[[" + to.Value,
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
