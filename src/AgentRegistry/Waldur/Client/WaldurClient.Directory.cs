namespace AgentRegistry.Waldur.Client;

public sealed partial class WaldurClient
{
    public Task<WaldurCustomer> GetCustomerAsync(Guid customerUuid, CancellationToken ct = default) =>
        GetAsync<WaldurCustomer>($"customers/{Hex(customerUuid)}/", ct);

    public Task<WaldurProject> GetProjectAsync(Guid projectUuid, CancellationToken ct = default) =>
        GetAsync<WaldurProject>($"projects/{Hex(projectUuid)}/", ct);

    /// <summary>The token's user; hooks of users who are neither staff nor support may miss customer/project events.</summary>
    public Task<WaldurUser> GetCurrentUserAsync(CancellationToken ct = default) => GetAsync<WaldurUser>("users/me/", ct);
}
