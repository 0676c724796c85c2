using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Handbook.Diagnostics;

/// <summary>
/// OpenTelemetry for ASP.NET Core, the .NET runtime and the handbook's own work (<see cref="HandbookMetrics"/>),
/// exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard
/// OTEL_* variables itself); without it nothing is collected or sent. JSON logs: <c>Logging__Console__FormatterName=json</c>.
/// </summary>
public static class TelemetryExtensions
{
    public static void AddHandbookTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HandbookMetrics>();
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "handbook",
                serviceInstanceId: builder.Configuration["Handbook:InstanceName"] ?? Environment.MachineName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(HandbookMetrics.MeterName)
                .AddOtlpExporter())
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddSource(HandbookMetrics.MeterName)
                .AddOtlpExporter());
    }
}
