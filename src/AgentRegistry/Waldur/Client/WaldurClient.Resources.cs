namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record BackendMetadataBody(IDictionary<string, object?> BackendMetadata);
    private sealed record LimitsBody(IReadOnlyDictionary<string, long> Limits);

    /// <summary>A marketplace resource as its provider sees it (use an order's MarketplaceResourceUuid).</summary>
    public Task<WaldurResource> GetResourceAsync(Guid resourceUuid, CancellationToken ct = default) =>
        GetAsync<WaldurResource>($"marketplace-provider-resources/{Hex(resourceUuid)}/", ct);

    /// <summary>The resource's plan periods (Waldur lists the active and future ones).</summary>
    public Task<IReadOnlyList<WaldurPlanPeriod>> ListPlanPeriodsAsync(Guid resourceUuid, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<WaldurPlanPeriod>>($"marketplace-provider-resources/{Hex(resourceUuid)}/plan_periods/", ct);

    public Task SetResourceBackendIdAsync(Guid resourceUuid, string backendId, CancellationToken ct = default) =>
        ResourceActionAsync(resourceUuid, "set_backend_id", new BackendIdBody(backendId), ct);

    /// <summary>Replaces the resource's backend metadata (shown to the customer) with <paramref name="metadata"/>.</summary>
    public Task SetResourceBackendMetadataAsync(Guid resourceUuid, IDictionary<string, object?> metadata, CancellationToken ct = default) =>
        ResourceActionAsync(resourceUuid, "set_backend_metadata", new BackendMetadataBody(metadata), ct);

    /// <summary>Sets the limits (component type → amount) of limit-billed components.</summary>
    public Task SetResourceLimitsAsync(Guid resourceUuid, IReadOnlyDictionary<string, long> limits, CancellationToken ct = default) =>
        ResourceActionAsync(resourceUuid, "set_limits", new LimitsBody(limits), ct);

    public Task SetResourceAsOkAsync(Guid resourceUuid, CancellationToken ct = default) =>
        ResourceActionAsync(resourceUuid, "set_as_ok", null, ct);

    public Task SetResourceAsErredAsync(Guid resourceUuid, string message, string? traceback = null, CancellationToken ct = default) =>
        ResourceActionAsync(resourceUuid, "set_as_erred", new ErrorBody(message, traceback), ct);

    /// <summary>These actions set a value or a state, so repeating one leaves the same result.</summary>
    private Task ResourceActionAsync(Guid resourceUuid, string action, object? body, CancellationToken ct) =>
        SendAndForgetAsync(HttpMethod.Post, $"marketplace-provider-resources/{Hex(resourceUuid)}/{action}/", body, repeatable: true, ct);
}
