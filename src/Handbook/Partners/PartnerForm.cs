using System.Text;
using Handbook.Rendering;

namespace Handbook.Partners;

/// <summary>
/// The partner fields of the edit form, as typed (a wrong value stays visible so the worker can correct it). Applied
/// to the page text field by field: a field whose value the worker did not change keeps its original lines.
/// </summary>
public sealed class PartnerForm
{
    public string? Acronym { get; set; }

    public List<string> Themes { get; set; } = [];

    /// <summary>One address per line.</summary>
    public string? Addresses { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Website { get; set; }

    public string? OpeningHours { get; set; }

    public List<string> Referral { get; set; } = [];

    public List<ZitdagForm> Zitdagen { get; set; } = [];

    /// <summary>The themes as one comma-separated text (the list of themes on the overview page).</summary>
    public string ThemesText
    {
        get => string.Join(", ", Themes);
        set => Themes = Split(value, ',').ToList();
    }

    /// <summary>Fills the form from a page's front matter YAML, each value as written.</summary>
    public void From(string? yaml)
    {
        var fields = FrontMatter.ReadFields(yaml, out _, out _) ?? new Dictionary<string, object?>();
        Acronym = Scalar(fields, PartnerFieldsReader.AcronymKey);
        Themes = ListOf(fields, PartnerFieldsReader.ThemesKey).ToList();
        Addresses = string.Join("\n", ListOf(fields, PartnerFieldsReader.AddressesKey));
        Phone = Scalar(fields, PartnerFieldsReader.PhoneKey);
        Email = Scalar(fields, PartnerFieldsReader.EmailKey);
        Website = Scalar(fields, PartnerFieldsReader.WebsiteKey);
        OpeningHours = Scalar(fields, PartnerFieldsReader.OpeningHoursKey);
        Referral = ListOf(fields, PartnerFieldsReader.ReferralKey).ToList();
        Zitdagen = [];
        if (fields.TryGetValue(PartnerFieldsReader.ZitdagenKey, out var value) && value is not string && value is IEnumerable<object?> items)
        {
            foreach (var item in items.OfType<IDictionary<object, object?>>())
            {
                var entry = item.Where(kv => kv.Key is string).GroupBy(kv => ((string)kv.Key).Trim(), StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
                Zitdagen.Add(new ZitdagForm
                {
                    Day = Scalar(entry, PartnerFieldsReader.DayKey),
                    Hours = Scalar(entry, PartnerFieldsReader.HoursKey),
                    Week = string.Join(", ", ListOf(entry, PartnerFieldsReader.WeekKey)),
                    Room = Scalar(entry, PartnerFieldsReader.RoomKey),
                    Appointment = Scalar(entry, PartnerFieldsReader.AppointmentKey),
                    Start = Scalar(entry, PartnerFieldsReader.StartKey),
                    End = Scalar(entry, PartnerFieldsReader.EndKey),
                });
            }
        }
    }

    public PartnerForm Clone() => new()
    {
        Acronym = Acronym, Themes = [.. Themes], Addresses = Addresses, Phone = Phone, Email = Email, Website = Website,
        OpeningHours = OpeningHours, Referral = [.. Referral], Zitdagen = Zitdagen.Select(z => z with { }).ToList(),
    };

    /// <summary>What is wrong with the values as typed: the same rules as for a page read from git.</summary>
    public IReadOnlyList<PartnerIssue> Validate(IReadOnlyList<string> themes)
    {
        var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            [PartnerFieldsReader.AcronymKey] = Acronym,
            [PartnerFieldsReader.ThemesKey] = Themes.Cast<object?>().ToList(),
            [PartnerFieldsReader.AddressesKey] = Split(Addresses, '\n').Cast<object?>().ToList(),
            [PartnerFieldsReader.PhoneKey] = Phone,
            [PartnerFieldsReader.EmailKey] = Email,
            [PartnerFieldsReader.WebsiteKey] = Website,
            [PartnerFieldsReader.OpeningHoursKey] = OpeningHours,
            [PartnerFieldsReader.ReferralKey] = Referral.Cast<object?>().ToList(),
            [PartnerFieldsReader.ZitdagenKey] = Zitdagen.Select(z => (object?)z.ToMap()).ToList(),
        };
        return PartnerFieldsReader.Read(fields, themes).Issues;
    }

    /// <summary>
    /// The page text with the fields that differ from <paramref name="original"/> rewritten (a field emptied is
    /// removed); the others keep their lines byte for byte.
    /// </summary>
    public string Apply(string text, PartnerForm original)
    {
        ArgumentNullException.ThrowIfNull(original);
        text = SetScalar(text, PartnerFieldsReader.AcronymKey, original.Acronym, Acronym);
        text = SetList(text, PartnerFieldsReader.ThemesKey, original.Themes, Themes);
        text = SetList(text, PartnerFieldsReader.AddressesKey, Split(original.Addresses, '\n'), Split(Addresses, '\n'), block: true);
        text = SetScalar(text, PartnerFieldsReader.PhoneKey, original.Phone, Phone);
        text = SetScalar(text, PartnerFieldsReader.EmailKey, original.Email, Email);
        text = SetScalar(text, PartnerFieldsReader.WebsiteKey, original.Website, Website);
        text = SetScalar(text, PartnerFieldsReader.OpeningHoursKey, original.OpeningHours, OpeningHours);
        text = SetList(text, PartnerFieldsReader.ReferralKey, original.Referral, Referral);
        var before = original.Zitdagen.Select(z => z.Normalized()).Where(z => !z.IsEmpty).ToList();
        var after = Zitdagen.Select(z => z.Normalized()).Where(z => !z.IsEmpty).ToList();
        if (!before.SequenceEqual(after))
        {
            text = FrontMatterText.SetField(text, PartnerFieldsReader.ZitdagenKey, after.Count == 0 ? null : ZitdagenYaml(after));
        }

        return text;
    }

    private static string ZitdagenYaml(IReadOnlyList<ZitdagForm> zitdagen)
    {
        var sb = new StringBuilder();
        foreach (var z in zitdagen)
        {
            var first = true;
            foreach (var (key, value) in z.ToMap())
            {
                if (value is not string { Length: > 0 } v)
                {
                    continue;
                }

                sb.Append(first ? "  - " : "    ").Append(key).Append(": ").Append(FrontMatterText.Scalar(v)).Append('\n');
                first = false;
            }
        }

        return sb.ToString().TrimEnd('\n');
    }

    private static string SetScalar(string text, string key, string? before, string? after) =>
        string.Equals((before ?? "").Trim(), (after ?? "").Trim(), StringComparison.Ordinal)
            ? text
            : FrontMatterText.SetField(text, key, string.IsNullOrWhiteSpace(after) ? null : FrontMatterText.Scalar(after));

    private static string SetList(string text, string key, IEnumerable<string> before, IEnumerable<string> after, bool block = false)
    {
        var b = before.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        var a = after.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (b.SequenceEqual(a, StringComparer.Ordinal))
        {
            return text;
        }

        var value = a.Count == 0 ? null
            : block ? string.Join("\n", a.Select(v => "  - " + FrontMatterText.Scalar(v)))
            : FrontMatterText.List(a);
        return FrontMatterText.SetField(text, key, value);
    }

    private static string? Scalar(IReadOnlyDictionary<string, object?> fields, string key) =>
        fields.TryGetValue(key, out var value) && value is string s && s.Trim().Length > 0 ? s.Trim() : null;

    private static IEnumerable<string> ListOf(IReadOnlyDictionary<string, object?> fields, string key) =>
        fields.TryGetValue(key, out var value)
            ? value switch
            {
                string s => Split(s, ','),
                IEnumerable<object?> items => items.OfType<string>().Select(i => i.Trim()).Where(i => i.Length > 0),
                _ => [],
            }
            : [];

    private static IEnumerable<string> Split(string? value, char separator) =>
        (value ?? "").Split(separator).Select(v => v.Trim()).Where(v => v.Length > 0);
}

/// <summary>One zitdag in the edit form, every value as typed.</summary>
public sealed record ZitdagForm
{
    public string? Day { get; set; }

    /// <summary>"13:30-16:00".</summary>
    public string? Hours { get; set; }

    /// <summary>"elke", "eerste", "eerste, derde", "laatste", "even", "oneven"; empty is every week.</summary>
    public string? Week { get; set; }

    public string? Room { get; set; }

    /// <summary>"ja", "nee" or empty (not known).</summary>
    public string? Appointment { get; set; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? Start { get; set; }

    /// <summary>yyyy-MM-dd.</summary>
    public string? End { get; set; }

    public bool IsEmpty => new[] { Day, Hours, Week, Room, Appointment, Start, End }.All(string.IsNullOrWhiteSpace);

    public ZitdagForm Normalized() => new()
    {
        Day = Trim(Day), Hours = Trim(Hours), Week = Trim(Week), Room = Trim(Room), Appointment = Trim(Appointment), Start = Trim(Start), End = Trim(End),
    };

    /// <summary>The zitdag as front matter fields, in the documented order.</summary>
    public Dictionary<object, object?> ToMap() => new()
    {
        [PartnerFieldsReader.DayKey] = Trim(Day),
        [PartnerFieldsReader.HoursKey] = Trim(Hours),
        [PartnerFieldsReader.WeekKey] = Trim(Week),
        [PartnerFieldsReader.RoomKey] = Trim(Room),
        [PartnerFieldsReader.AppointmentKey] = Trim(Appointment),
        [PartnerFieldsReader.StartKey] = Trim(Start),
        [PartnerFieldsReader.EndKey] = Trim(End),
    };

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
