using System.Globalization;

namespace Handbook.Components;

/// <summary>Dates as workers read them: in Brussels time, in the UI culture.</summary>
public static class Formatting
{
    private static readonly TimeZoneInfo Brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public static DateTimeOffset ToBrussels(DateTimeOffset when) => TimeZoneInfo.ConvertTime(when, Brussels);

    public static string DateTime(DateTimeOffset when) =>
        ToBrussels(when).ToString("d MMMM yyyy, HH:mm", CultureInfo.CurrentCulture);

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Date(DateTimeOffset when) => ToBrussels(when).ToString("dddd d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Iso(DateTimeOffset when) => when.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>"3 uur geleden", from the resource keys Ago.*.</summary>
    public static string Relative(DateTimeOffset when, Microsoft.Extensions.Localization.IStringLocalizer l)
    {
        var age = DateTimeOffset.UtcNow - when;
        return age.TotalMinutes switch
        {
            < 1 => l["Ago.Now"],
            < 60 => l["Ago.Minutes", (int)age.TotalMinutes],
            < 60 * 24 => l["Ago.Hours", (int)age.TotalHours],
            < 60 * 24 * 31 => l["Ago.Days", (int)age.TotalDays],
            < 60 * 24 * 365 => l["Ago.Months", (int)(age.TotalDays / 30.4)],
            _ => l["Ago.Years", (int)(age.TotalDays / 365.25)],
        };
    }

    /// <summary>"+120" or "−45" bytes.</summary>
    public static string SizeDelta(long delta) =>
        delta > 0 ? "+" + delta.ToString("N0", CultureInfo.CurrentCulture) : delta < 0 ? "−" + (-delta).ToString("N0", CultureInfo.CurrentCulture) : "0";

    public static DateOnly Today => DateOnly.FromDateTime(ToBrussels(DateTimeOffset.UtcNow).DateTime);
}
