using System.Text;

namespace Handbook.Rendering;

/// <summary>
/// Line-level access to a page's front matter block, so that changing one field changes one line of the file
/// (history, blame and merges stay readable) instead of re-serialising the whole YAML.
/// </summary>
public static class FrontMatterText
{
    /// <summary>A byte order mark some editors put at the start of a file: kept where it is, before the front matter.</summary>
    public const char ByteOrderMark = '\uFEFF';

    /// <summary>
    /// Splits a page into its YAML (without the <c>---</c> lines; empty when none) and its body. A byte order mark
    /// before the block belongs to the block (the body is what follows it); without a block the body is the whole text.
    /// </summary>
    public static (string Yaml, string Body) Split(string text)
    {
        var head = text.AsSpan(Bom(text).Length);
        if (!head.StartsWith("---\n", StringComparison.Ordinal) && !head.StartsWith("---\r\n", StringComparison.Ordinal))
        {
            return ("", text);
        }

        var start = text.IndexOf('\n', StringComparison.Ordinal) + 1;
        var position = start;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            var line = (end < 0 ? text[position..] : text[position..end]).TrimEnd('\r');
            if (line is "---" or "...")
            {
                return (text[start..position], end < 0 ? "" : text[(end + 1)..]);
            }

            if (end < 0)
            {
                break;
            }

            position = end + 1;
        }

        return ("", text);
    }

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/> (already YAML: e.g. <c>2027-01-31</c> or
    /// <c>[a, b]</c>), replacing its line and any indented lines under it; null removes the field.
    /// Adds a front matter block when the page has none.
    /// </summary>
    public static string SetField(string text, string key, string? value)
    {
        var (yaml, body) = Split(text);
        var hasBlock = body.Length != text.Length;
        var lines = yaml.Length == 0 ? [] : yaml.TrimEnd('\n').Split('\n').ToList();
        var index = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (index >= 0)
        {
            var count = 1;
            while (index + count < lines.Count && lines[index + count].Length > 0 && char.IsWhiteSpace(lines[index + count][0]))
            {
                count++;
            }

            lines.RemoveRange(index, count);
        }
        else
        {
            index = lines.Count;
        }

        if (value is not null)
        {
            lines.Insert(index, value.Contains('\n', StringComparison.Ordinal) ? $"{key}:\n{value}" : $"{key}: {value}");
        }

        var bom = Bom(text);
        if (lines.Count == 0)
        {
            return hasBlock ? bom + body : text;
        }

        var sb = new StringBuilder(bom).Append("---\n");
        foreach (var line in lines)
        {
            sb.Append(line).Append('\n');
        }

        sb.Append("---\n");
        return sb.Append(hasBlock ? body : text[bom.Length..]).ToString();
    }

    private static string Bom(string text) => text.Length > 0 && text[0] == ByteOrderMark ? "\uFEFF" : "";

    /// <summary>Quotes a scalar for YAML when it needs it.</summary>
    public static string Scalar(string value)
    {
        var v = value.Trim();
        var plain = v.Length > 0 && v.IndexOfAny([':', '#', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`']) < 0
                    && !v.StartsWith('-') && !v.StartsWith('?') && v != "true" && v != "false" && v != "null";
        return plain ? v : "\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A flow list <c>[a, b]</c> with each item quoted when needed.</summary>
    public static string List(IEnumerable<string> items) => "[" + string.Join(", ", items.Where(i => i.Trim().Length > 0).Select(Scalar)) + "]";
}
