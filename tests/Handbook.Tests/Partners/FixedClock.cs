namespace Handbook.Tests.Partners;

/// <summary>A clock that says what the test says: the zitdagen of "this week" then do not depend on the day the test runs.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    /// <summary>A moment in Brussels local time (CET in winter).</summary>
    public static FixedClock AtBrussels(int year, int month, int day, int hour = 10, int minute = 0) =>
        new(new DateTimeOffset(year, month, day, hour, minute, 0, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")
            .GetUtcOffset(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified))));
}
