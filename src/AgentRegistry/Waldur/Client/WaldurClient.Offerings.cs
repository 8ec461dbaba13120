namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record ServiceProviderBody(string Customer);
    private sealed record OfferingBody(string Name, string? Description, string Customer, string Category, string Type,
        IReadOnlyList<OfferingComponentRequest> Components, IReadOnlyList<PlanBody> Plans);
    private sealed record CategoryBody(string Category);
    private sealed record ComponentUpdateBody(Guid Uuid, string Type, string Name, string BillingType, string? MeasuredUnit,
        string? Description, string? LimitPeriod, long? LimitAmount, long? MinValue, long? MaxValue, long? DefaultLimit);
    private sealed record ComponentRemovalBody(Guid Uuid);

    public Task<IReadOnlyList<WaldurCategory>> ListCategoriesAsync(CancellationToken ct = default) =>
        ListAsync<WaldurCategory>("marketplace-categories/", WaldurQuery.Empty, ct);

    public Task<IReadOnlyList<WaldurServiceProvider>> ListServiceProvidersAsync(Guid customerUuid, CancellationToken ct = default) =>
        ListAsync<WaldurServiceProvider>("marketplace-service-providers/", WaldurQuery.Empty.With("customer_uuid", Hex(customerUuid)), ct);

    /// <summary>Registers a customer as a service provider (needed before it can publish offerings). Not retried.</summary>
    public Task<WaldurServiceProvider> CreateServiceProviderAsync(Guid customerUuid, CancellationToken ct = default) =>
        SendAsync<WaldurServiceProvider>(HttpMethod.Post, "marketplace-service-providers/",
            new ServiceProviderBody(Link("customers", customerUuid)), repeatable: false, ct);

    /// <summary>Creates an offering in Draft with its components and plans. Not retried.</summary>
    public Task<WaldurOffering> CreateOfferingAsync(OfferingRequest request, CancellationToken ct = default) =>
        SendAsync<WaldurOffering>(HttpMethod.Post, "marketplace-provider-offerings/", new OfferingBody(
            request.Name, request.Description, Link("customers", request.CustomerUuid), Link("marketplace-categories", request.CategoryUuid),
            request.Type, request.Components, [.. request.Plans.Select(PlanBody.From)]), repeatable: false, ct);

    public Task<WaldurOffering> GetOfferingAsync(Guid offeringUuid, CancellationToken ct = default) =>
        GetAsync<WaldurOffering>($"marketplace-provider-offerings/{Hex(offeringUuid)}/", ct);

    /// <summary>The provider's offerings, optionally of one customer and/or whose name contains <paramref name="name"/>.</summary>
    public Task<IReadOnlyList<WaldurOffering>> ListOfferingsAsync(Guid? customerUuid = null, string? name = null, CancellationToken ct = default) =>
        ListAsync<WaldurOffering>("marketplace-provider-offerings/",
            WaldurQuery.Empty.With("customer_uuid", customerUuid is { } c ? Hex(c) : null).With("name", name), ct);

    /// <summary>Draft, Paused or Unavailable → Active; 409 when the offering is in another state.</summary>
    public Task ActivateOfferingAsync(Guid offeringUuid, CancellationToken ct = default) =>
        OfferingActionAsync(offeringUuid, "activate", null, ct);

    public Task UpdateOfferingOverviewAsync(Guid offeringUuid, OfferingOverview overview, CancellationToken ct = default) =>
        OfferingActionAsync(offeringUuid, "update_overview", overview, ct);

    /// <summary>Moves the offering to another category (Waldur's update_description).</summary>
    public Task UpdateOfferingCategoryAsync(Guid offeringUuid, Guid categoryUuid, CancellationToken ct = default) =>
        OfferingActionAsync(offeringUuid, "update_description", new CategoryBody(Link("marketplace-categories", categoryUuid)), ct);

    /// <summary>Adds a component. Not retried (a repeat would fail on the duplicate type).</summary>
    public Task CreateOfferingComponentAsync(Guid offeringUuid, OfferingComponentRequest component, CancellationToken ct = default) =>
        SendAndForgetAsync(HttpMethod.Post, $"marketplace-provider-offerings/{Hex(offeringUuid)}/create_offering_component/",
            component, repeatable: false, ct);

    public Task UpdateOfferingComponentAsync(Guid offeringUuid, Guid componentUuid, OfferingComponentRequest component, CancellationToken ct = default) =>
        OfferingActionAsync(offeringUuid, "update_offering_component", new ComponentUpdateBody(componentUuid, component.Type, component.Name,
            component.BillingType, component.MeasuredUnit, component.Description, component.LimitPeriod, component.LimitAmount,
            component.MinValue, component.MaxValue, component.DefaultLimit), ct);

    public Task RemoveOfferingComponentAsync(Guid offeringUuid, Guid componentUuid, CancellationToken ct = default) =>
        OfferingActionAsync(offeringUuid, "remove_offering_component", new ComponentRemovalBody(componentUuid), ct);

    private Task OfferingActionAsync(Guid offeringUuid, string action, object? body, CancellationToken ct) =>
        SendAndForgetAsync(HttpMethod.Post, $"marketplace-provider-offerings/{Hex(offeringUuid)}/{action}/", body, repeatable: true, ct);
}
