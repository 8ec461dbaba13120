using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using WaldurEmulator.Tests.Contract;
using WaldurEmulator.Tests.Support;

namespace WaldurEmulator.Tests;

public sealed class ContractCoverageTests
{
    /// <summary>Operations of the subset the emulator deliberately leaves out (the registry does not call them).</summary>
    private static readonly HashSet<string> LeftOut =
    [
        "PUT /api/customers/{uuid}/", "PATCH /api/customers/{uuid}/", "DELETE /api/customers/{uuid}/",
        "PUT /api/projects/{uuid}/", "PATCH /api/projects/{uuid}/", "DELETE /api/projects/{uuid}/",
        "HEAD /api/users/me/", "HEAD /api/events/event_groups/",
        "POST /api/marketplace-categories/", "PUT /api/marketplace-categories/{uuid}/",
        "PATCH /api/marketplace-categories/{uuid}/", "DELETE /api/marketplace-categories/{uuid}/",
        "PUT /api/marketplace-service-providers/{uuid}/", "PATCH /api/marketplace-service-providers/{uuid}/",
        "DELETE /api/marketplace-service-providers/{uuid}/",
        "POST /api/marketplace-orders/", "PUT /api/marketplace-orders/{uuid}/", "PATCH /api/marketplace-orders/{uuid}/",
        "DELETE /api/marketplace-orders/{uuid}/",
        "PUT /api/marketplace-provider-resources/{uuid}/", "PATCH /api/marketplace-provider-resources/{uuid}/",
        "PUT /api/marketplace-resources/{uuid}/", "PATCH /api/marketplace-resources/{uuid}/",
        "POST /api/marketplace-component-usages/{uuid}/set_user_usage/",
    ];

    [Fact]
    public async Task ContractIsAValidOpenApiDocument()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        await using var stream = File.OpenRead(OpenApiContract.Instance.File);

        var result = await OpenApiDocument.LoadAsync(stream, "yaml", settings, TestContext.Current.CancellationToken);

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Equal(56, result.Document?.Paths.Count);
    }

    [Fact]
    public async Task EveryContractOperationIsEmulatedOrListedAsLeftOut()
    {
        await using var s = await EmulatorSession.StartAsync();
        var served = s.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        var operations = OpenApiContract.Instance.Document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {System.Text.RegularExpressions.Regex.Replace(p.Key, "{[^}]+}", "{uuid}")}"))
            .ToList();

        var missing = operations.Where(o => !served.Contains(o) && !LeftOut.Contains(o)).ToList();
        var notActuallyLeftOut = LeftOut.Where(served.Contains).ToList();

        Assert.Empty(missing);
        Assert.Empty(notActuallyLeftOut);
    }
}
