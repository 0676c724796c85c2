using Handbook.Catalog;
using Handbook.Components;
using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace Handbook.Partners;

/// <summary>The sociale kaart: partner pages' fields, the overview, the zitdagen, and the partner card's JSON.</summary>
public static class PartnerExtensions
{
    public const string CardPath = "/api/partners/card/";

    public static WebApplicationBuilder AddHandbookPartners(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PartnerDirectory>();
        builder.Services.AddSingleton<ZitdagCalendar>();
        return builder;
    }

    /// <summary>
    /// The partner card behind a wiki link (js/reading.js): contact and next zitdag as JSON, every value text (the
    /// script puts it in the page with textContent). Sign-in required, as every route.
    /// </summary>
    public static void MapPartnerEndpoints(this WebApplication app) =>
        app.MapGet(CardPath + "{*path}", (string? path, PartnerDirectory directory, ZitdagCalendar calendar, IStringLocalizer<SharedResource> l) =>
        {
            if (!PagePath.TryParse(path, out var page, out _) || directory.Current.Find(page) is not { } partner)
            {
                return Results.NotFound();
            }

            var profile = partner.Profile;
            var next = calendar.Next(partner);
            return Results.Ok(new PartnerCardJson(
                partner.Title,
                profile.Acronym,
                CatalogSnapshot.Href(partner.Path),
                partner.Page.Meta.Summary,
                profile.Phone,
                profile.Phone is { } phone ? PartnerText.TelHref(phone) : null,
                profile.Email,
                profile.Website?.AbsoluteUri,
                next is null ? null : PartnerText.Occurrence(l, next) + (next.Zitdag.Room is { } room ? " · " + l["ZitdagRoom", room] : ""),
                new PartnerCardLabels(l["PartnerPhone"], l["PartnerEmail"], l["PartnerWebsite"], l["PartnerNextZitdag"], l["PartnerMissing"], l["PartnerOpenPage"], l["PartnerNoNextZitdag"])));
        });
}

/// <summary>What the partner card shows; null fields are "nog aan te vullen".</summary>
public sealed record PartnerCardJson(string Title, string? Acronym, string Href, string? Summary, string? Phone, string? Tel, string? Email,
    string? Website, string? NextZitdag, PartnerCardLabels Labels);

/// <summary>The card's labels in the reader's language.</summary>
public sealed record PartnerCardLabels(string Phone, string Email, string Website, string NextZitdag, string Missing, string OpenPage, string NoNextZitdag);
