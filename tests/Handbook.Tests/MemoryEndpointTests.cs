using System.Net.Http.Json;
using Handbook.Diagnostics;

namespace Handbook.Tests;

/// <summary>The Development-only memory figures the benchmark reads.</summary>
public sealed class MemoryEndpointTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Fact]
    public async Task DevMemory_InDevelopment_ReportsWorkingSetAndGcHeap_AfterAFullCollection()
    {
        using var client = factory.CreateClient();
        var before = await client.GetFromJsonAsync<MemoryReport>(new Uri(MemoryEndpoint.Path, UriKind.Relative));
        var collected = await client.GetFromJsonAsync<MemoryReport>(new Uri(MemoryEndpoint.Path + "?collect=true", UriKind.Relative));

        Assert.NotNull(before);
        Assert.NotNull(collected);
        Assert.True(collected.WorkingSet > 0);
        Assert.True(collected.GcHeap > 0);
        Assert.True(collected.Gen2Collections >= before.Gen2Collections + 2);
    }
}
