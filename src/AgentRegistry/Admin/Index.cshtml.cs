using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin;

public sealed class DashboardModel(RegistryDb db) : PageModel
{
    public int Agents { get; private set; }
    public int Tenants { get; private set; }
    public int ActiveAccesses { get; private set; }
    public int PendingWebhooks { get; private set; }
    public int FailedWebhooks { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Agents = await db.Agents.CountAsync(ct);
        Tenants = await db.Tenants.CountAsync(ct);
        ActiveAccesses = await db.Accesses.CountAsync(a => a.State == AccessState.Active, ct);
        PendingWebhooks = await db.WebhookEvents.CountAsync(w => w.Status == WebhookEventStatus.Pending, ct);
        FailedWebhooks = await db.WebhookEvents.CountAsync(w => w.Status == WebhookEventStatus.Failed, ct);
    }
}
