namespace Handbook.Search;

/// <summary>Search as one feature: the index, its background builder and the suggestion endpoint.</summary>
public static class SearchExtensions
{
    public static WebApplicationBuilder AddHandbookSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.AddHostedService<SearchIndexService>();
        return builder;
    }

    public static void MapHandbookSearch(this WebApplication app) => app.MapSearchEndpoints();
}
