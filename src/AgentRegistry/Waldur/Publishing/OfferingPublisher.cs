using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Waldur.Publishing;

/// <summary>
/// Publishes an agent as a Waldur offering: components for its metered units, one Waldur plan per active
/// AgentPlan with prices, activated. Publishing again updates the same offering instead of making another.
/// </summary>
public sealed class OfferingPublisher(RegistryDb db, WaldurClient waldur, IOptions<MarketplaceOptions> market, IOptions<WaldurOptions> waldurOptions, TimeProvider clock)
{
    public async Task<Agent> PublishAsync(Guid agentId, CancellationToken ct)
    {
        if (!waldurOptions.Value.Enabled)
            throw new ConflictException("waldur-disabled", "The Waldur integration is off: set Waldur:ApiUrl and Waldur:Token.");
        var provider = market.Value.ProviderCustomerUuid
            ?? throw new ConflictException("waldur-provider-missing", "Set Waldur:Marketplace:ProviderCustomerUuid to the organisation that sells the agents.");
        var agent = await db.Agents.Include(a => a.Plans).FirstOrDefaultAsync(a => a.Id == agentId, ct) ?? throw new NotFoundException("The agent");
        var plans = agent.Plans.Where(p => p.IsActive).OrderBy(p => p.CreatedAt).ToList();
        if (plans.Count == 0) throw new ConflictException("agent-without-plans", "The agent needs at least one active plan to be published.");

        if ((await waldur.ListServiceProvidersAsync(provider, ct)).Count == 0) await waldur.CreateServiceProviderAsync(provider, ct);
        var components = WaldurPricing.Components(plans);

        WaldurOffering offering;
        if (agent.WaldurOfferingUuid is not { } existing)
        {
            offering = await waldur.CreateOfferingAsync(new OfferingRequest(agent.Name, agent.Description, provider, await CategoryAsync(ct),
                market.Value.OfferingType, components, plans.Select(Plan).ToList()), ct);
            agent.WaldurOfferingUuid = offering.Uuid;
            await db.SaveChangesAsync(ct);
        }
        else
        {
            offering = await waldur.GetOfferingAsync(existing, ct);
            await waldur.UpdateOfferingOverviewAsync(existing, new OfferingOverview(agent.Name, agent.Description), ct);
            foreach (var component in components)
            {
                var remote = offering.Components.FirstOrDefault(c => c.Type == component.Type);
                if (remote is null) await waldur.CreateOfferingComponentAsync(existing, component, ct);
                else await waldur.UpdateOfferingComponentAsync(existing, remote.Uuid, component, ct);
            }
            foreach (var plan in plans.Where(p => !offering.Plans.Any(r => r.Uuid == p.WaldurPlanUuid || r.Name == WaldurName(p))))
                await waldur.CreatePlanAsync(existing, Plan(plan), ct);
            offering = await waldur.GetOfferingAsync(existing, ct);
        }

        foreach (var plan in plans)
        {
            var remote = offering.Plans.FirstOrDefault(r => r.Uuid == plan.WaldurPlanUuid) ?? offering.Plans.FirstOrDefault(r => r.Name == WaldurName(plan) && !r.Archived)
                ?? throw new InvalidOperationException($"Waldur did not keep the plan {plan.Name}.");
            plan.WaldurPlanUuid = remote.Uuid;
            var prices = WaldurPricing.Prices(plan, components);
            if (prices.Count > 0) await waldur.UpdatePlanPricesAsync(remote.Uuid, prices, ct);
            var quotas = WaldurPricing.Quotas(plan, components);
            if (quotas.Count > 0) await waldur.UpdatePlanQuotasAsync(remote.Uuid, quotas, ct);
        }
        if (offering.State == WaldurOfferingState.Draft) await waldur.ActivateOfferingAsync(offering.Uuid, ct);

        agent.WaldurOfferingState = (await waldur.GetOfferingAsync(offering.Uuid, ct)).State;
        agent.PublishedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return agent;
    }

    private static PlanRequest Plan(AgentPlan p) => new(WaldurName(p), p.Description, p.Unit, p.UnitPrice);

    /// <summary>A later version is a plan of its own in Waldur (the old one keeps billing its resources): "Basic (v2)".</summary>
    private static string WaldurName(AgentPlan p) => p.Version > 1 ? $"{p.Name} (v{p.Version})" : p.Name;

    private async Task<Guid> CategoryAsync(CancellationToken ct)
    {
        if (market.Value.CategoryUuid is { } uuid) return uuid;
        var categories = await waldur.ListCategoriesAsync(ct);
        return categories.FirstOrDefault(c => string.Equals(c.Title, market.Value.CategoryTitle, StringComparison.OrdinalIgnoreCase))?.Uuid
            ?? throw new ConflictException("waldur-category-missing",
                $"Waldur has no marketplace category titled '{market.Value.CategoryTitle}'; create it or set Waldur:Marketplace:CategoryUuid.");
    }
}
