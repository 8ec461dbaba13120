using AgentRegistry.Catalog;
using AgentRegistry.Tenancy;
using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using AgentRegistry.Waldur.Reporting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin;

/// <summary>
/// The operator's home: the health of the parts, open and failed orders, failed webhooks, usage reports Waldur rejects
/// or that fail, this month's reconciliation differences, and the launch plan's figures over the last day.
/// </summary>
public sealed class DashboardModel(RegistryDb db, OperatorDashboard dashboard, WaldurOrders orders, ILogger<DashboardModel> log) : PageModel
{
    public int Agents { get; private set; }
    public int Tenants { get; private set; }
    public int ActiveAccesses { get; private set; }
    public int ProvisioningAccesses { get; private set; }
    public int PendingWebhooks { get; private set; }
    public int FailedWebhooks { get; private set; }
    public int? OpenOrders { get; private set; }
    public int? FailedOrders { get; private set; }
    public string? OrdersError { get; private set; }
    public bool WaldurEnabled => orders.Enabled;
    public Dictionary<UsageReportOutcome, int> FailingReports { get; private set; } = [];
    public BillingSync Billing { get; private set; } = new(0, 0, DateTime.MinValue, null);
    public List<PartHealth> Health { get; private set; } = [];
    public List<LaunchFigure> Figures { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Health = await dashboard.HealthAsync(ct);
        Agents = await db.Agents.CountAsync(ct);
        Tenants = await db.Tenants.CountAsync(ct);
        ActiveAccesses = await db.Accesses.CountAsync(a => a.State == AccessState.Active, ct);
        ProvisioningAccesses = await db.Accesses.CountAsync(a => a.State == AccessState.Provisioning, ct);
        PendingWebhooks = await db.WebhookEvents.CountAsync(w => w.Status == WebhookEventStatus.Pending, ct);
        FailedWebhooks = await db.WebhookEvents.CountAsync(w => w.Status == WebhookEventStatus.Failed, ct);
        if (orders.Enabled)
        {
            try
            {
                OpenOrders = (await orders.ListAsync(WaldurOrders.Open, ct)).Count;
                FailedOrders = (await orders.ListAsync(WaldurOrders.Failed, ct)).Count;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning("Listing Waldur orders for the admin home failed: {Error}", e.Message);
                OrdersError = "Waldur could not be read";
            }
        }
        FailingReports = await dashboard.FailingReportsAsync(ct);
        Billing = await dashboard.BillingSyncAsync(ct);
        Figures = await dashboard.FiguresAsync(Billing, ct);
    }
}
