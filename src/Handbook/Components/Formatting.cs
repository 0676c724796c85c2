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

    public static DateOnly Today => DateOnly.FromDateTime(ToBrussels(DateTimeOffset.UtcNow).DateTime);
}
