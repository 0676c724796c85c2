using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Handbook.Search;

/// <summary>Search as one feature: the index, its background builder, the log of unanswered searches and the endpoints.</summary>
public static class SearchExtensions
{
    public static WebApplicationBuilder AddHandbookSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SearchLog>();
        builder.Services.AddHostedService<SearchIndexService>();
        return builder;
    }

    public static void MapHandbookSearch(this WebApplication app) => app.MapSearchEndpoints();
}
