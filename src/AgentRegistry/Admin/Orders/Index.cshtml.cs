using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentRegistry.Admin.Orders;

/// <summary>Open or failed orders of the registry's offerings, read from Waldur now.</summary>
public sealed class IndexModel(WaldurOrders orders, ILogger<IndexModel> log) : PageModel
{
    [BindProperty(SupportsGet = true)] public string State { get; set; } = "open";
    public List<OrderRow> Rows { get; private set; } = [];
    public string? Error { get; private set; }
    public bool Enabled => orders.Enabled;

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Rows = await orders.ListAsync(State == "failed" ? WaldurOrders.Failed : WaldurOrders.Open, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Listing Waldur orders failed: {Error}", e.Message);
            Error = "Waldur could not be read just now; its health is shown on the home page.";
        }
    }
}
