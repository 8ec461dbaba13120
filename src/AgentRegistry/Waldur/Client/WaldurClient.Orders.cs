namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    private sealed record ApprovalBody();
    private sealed record RejectionBody(string ProviderRejectionComment);
    private sealed record ErrorBody(string ErrorMessage, string? ErrorTraceback);
    private sealed record BackendIdBody(string BackendId);

    public Task<WaldurOrder> GetOrderAsync(Guid orderUuid, CancellationToken ct = default) =>
        GetAsync<WaldurOrder>($"marketplace-orders/{Hex(orderUuid)}/", ct);

    /// <summary>Orders of an offering in the given states (e.g. pending-provider and executing), all pages.</summary>
    public Task<IReadOnlyList<WaldurOrder>> ListOrdersAsync(Guid offeringUuid, IEnumerable<string> states, CancellationToken ct = default) =>
        ListAsync<WaldurOrder>("marketplace-orders/", WaldurQuery.Empty.With("offering_uuid", Hex(offeringUuid)).With("state", states), ct);

    /// <summary>pending-provider → executing (a Marketplace.Basic order completes at once).</summary>
    public Task ApproveOrderByProviderAsync(Guid orderUuid, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "approve_by_provider", new ApprovalBody(), ct);

    public Task RejectOrderByProviderAsync(Guid orderUuid, string comment, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "reject_by_provider", new RejectionBody(comment), ct);

    public Task SetOrderStateExecutingAsync(Guid orderUuid, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "set_state_executing", null, ct);

    /// <summary>executing → done; the resource becomes OK (Create/Update) or Terminated (Terminate).</summary>
    public Task SetOrderStateDoneAsync(Guid orderUuid, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "set_state_done", null, ct);

    public Task SetOrderStateErredAsync(Guid orderUuid, string message, string? traceback = null, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "set_state_erred", new ErrorBody(message, traceback), ct);

    public Task SetOrderBackendIdAsync(Guid orderUuid, string backendId, CancellationToken ct = default) =>
        OrderActionAsync(orderUuid, "set_backend_id", new BackendIdBody(backendId), ct);

    /// <summary>Order actions are guarded by the order's state, so repeating one is safe (a repeat answers 409).</summary>
    private Task OrderActionAsync(Guid orderUuid, string action, object? body, CancellationToken ct) =>
        SendAndForgetAsync(HttpMethod.Post, $"marketplace-orders/{Hex(orderUuid)}/{action}/", body, repeatable: true, ct);
}
