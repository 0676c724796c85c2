using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Handbook.Rendering;

/// <summary>The metadata block at the top of a page (YAML between <c>---</c> lines).</summary>
public sealed record FrontMatter
{
    /// <summary>Front matter larger than this is refused: nobody writes that much metadata by hand.</summary>
    public const int MaxLength = 16 * 1024;

    public static readonly FrontMatter Empty = new();

    // Building a deserializer is costly; a built one is safe to share between threads.
    private static readonly IDeserializer Yaml = new DeserializerBuilder().Build();

    public string? Title { get; init; }

    public string? Summary { get; init; }

    /// <summary>The team or expert to ask ("vraag het aan…").</summary>
    public string? Owner { get; init; }

    public IReadOnlyList<string> Doelgroepen { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public DateOnly? ReviewBy { get; init; }

    public DateOnly? ValidFrom { get; init; }

    public IReadOnlyList<string> Sources { get; init; } = [];

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Only administrators may change a protected page.</summary>
    public bool Protected { get; init; }

    /// <summary>Set when the YAML could not be read: the page still renders, with a notice.</summary>
    public string? Error { get; init; }

    /// <summary>Reads front matter YAML; never throws: a broken block yields <see cref="Error"/>.</summary>
    public static FrontMatter Parse(string? yaml)
    {
        var values = ReadFields(yaml, out var error, out var duplicate);
        if (values is null)
        {
            return error is null ? Empty : new FrontMatter { Error = error };
        }

        error = duplicate is null ? null : $"het veld '{duplicate}' staat er meer dan eens; de eerste waarde telt";
        return new FrontMatter
        {
            Title = Text(values, "title"),
            Summary = Text(values, "summary"),
            Owner = Text(values, "owner"),
            Doelgroepen = List(values, "doelgroepen"),
            Tags = List(values, "tags"),
            ReviewBy = Date(values, "review_by"),
            ValidFrom = Date(values, "valid_from"),
            Sources = List(values, "sources"),
            Aliases = List(values, "aliases"),
            Protected = string.Equals(Text(values, "protected"), "true", StringComparison.OrdinalIgnoreCase),
            Error = error,
        };
    }

    /// <summary>
    /// The fields of a front matter block by name (case-insensitive; a field given twice keeps its first value and
    /// <paramref name="duplicate"/> names it), with the same limits as <see cref="Parse"/>; null when there are none or
    /// the YAML cannot be read (<paramref name="error"/> says why). Never throws. Other features (the partner fields of
    /// the sociale kaart) read their own fields from here instead of parsing the YAML a second way.
    /// </summary>
    public static Dictionary<string, object?>? ReadFields(string? yaml, out string? error, out string? duplicate)
    {
        error = null;
        duplicate = null;
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return null;
        }

        if (yaml.Length > MaxLength)
        {
            error = $"front matter is longer than {MaxLength} characters";
            return null;
        }

        // Anchors and aliases have no use in page metadata and are the way to build a "YAML bomb".
        if (yaml.Contains('&', StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(yaml, @"(^|[\s:\[,-])[&*][A-Za-z0-9_-]", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            error = "YAML anchors and aliases are not supported in front matter";
            return null;
        }

        Dictionary<object, object?>? map;
        try
        {
            map = Yaml.Deserialize<Dictionary<object, object?>>(yaml);
        }
        catch (Exception e) when (e is YamlException or InvalidCastException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            // YamlDotNet reports most problems as YamlException, but not all: whatever one page's metadata holds, it is
            // that page's notice, never an exception that stops the catalog (and with it every page of the handbook).
            error = e.Message;
            return null;
        }

        if (map is null)
        {
            return null;
        }

        // Field names are read case-insensitively ("Title" is "title"); a field given twice keeps its first value and
        // the page says so, instead of one of the two silently winning.
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in map)
        {
            if (key is string name && !values.TryAdd(name.Trim(), value))
            {
                duplicate ??= name.Trim();
            }
        }

        return values;
    }

    private static string? Text(Dictionary<string, object?> values, string key) =>
        values.TryGetValue(key, out var value) && value is string s && s.Trim().Length > 0 ? s.Trim() : null;

    private static IReadOnlyList<string> List(Dictionary<string, object?> values, string key) =>
        values.TryGetValue(key, out var value)
            ? value switch
            {
                string s when s.Trim().Length > 0 => [s.Trim()],
                IEnumerable<object?> items => items.OfType<string>().Select(i => i.Trim()).Where(i => i.Length > 0).ToList(),
                _ => [],
            }
            : [];

    private static DateOnly? Date(Dictionary<string, object?> values, string key) =>
        Text(values, key) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : null;
}
