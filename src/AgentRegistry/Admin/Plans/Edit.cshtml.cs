using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Plans;

public sealed class EditModel(RegistryDb db, ICatalogUse use) : AdminFormPage
{
    public static readonly string[] Units = ["month", "day", "hour", "half_month", "quantity", "quarter"];
    public static readonly string[] BillingTypes = ["usage", "limit", "fixed", "one", "few"];
    private const int BlankRows = 3;

    public sealed class PlanForm
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string? Unit { get; set; } = "month";
        public decimal? UnitPrice { get; set; }
        public bool IsActive { get; set; } = true;
        public List<ComponentForm> Components { get; set; } = [];
    }

    public sealed class ComponentForm
    {
        public string? Type { get; set; }
        public string? Name { get; set; }
        public string? MeasuredUnit { get; set; }
        public string? BillingType { get; set; } = "usage";
        public string? Metric { get; set; }
        public long? UnitSize { get; set; }
        public decimal? Price { get; set; }
        public decimal? Limit { get; set; }
        public bool HardLimit { get; set; }
        public bool IsBlank => string.IsNullOrWhiteSpace(Type) && string.IsNullOrWhiteSpace(Name);
    }

    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty(SupportsGet = true)] public Guid AgentId { get; set; }
    [BindProperty] public PlanForm Form { get; set; } = new();
    public string AgentName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is { } id)
        {
            if (await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is not { } p) return NotFound();
            AgentId = p.AgentId;
            Form = new PlanForm
            {
                Name = p.Name, Description = p.Description, Unit = p.Unit, UnitPrice = p.UnitPrice, IsActive = p.IsActive,
                Components = p.Components.Select(c => new ComponentForm
                {
                    Type = c.Type, Name = c.Name, MeasuredUnit = c.MeasuredUnit, BillingType = c.BillingType, Metric = c.Metric,
                    UnitSize = c.UnitSize, Price = c.Price, Limit = c.Limit, HardLimit = c.HardLimit,
                }).ToList(),
            };
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(bool more, CancellationToken ct)
    {
        AgentPlan? plan;
        if (Id is { } id)
        {
            plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == id, ct);
            if (plan is not null) AgentId = plan.AgentId;
        }
        else plan = new AgentPlan { AgentId = AgentId, Name = "" };
        if (plan is null || !await db.Agents.AnyAsync(a => a.Id == AgentId, ct)) return NotFound();
        if (more)
        {
            ModelState.Clear();
            return await ShowAsync(ct);
        }

        var rows = Form.Components.Select((c, i) => (Form: c, Index: i)).Where(r => !r.Form.IsBlank).ToList();
        var components = rows.Select(r => new PlanComponentInput(r.Form.Type ?? "", r.Form.Name ?? "", r.Form.MeasuredUnit,
            r.Form.BillingType, string.IsNullOrWhiteSpace(r.Form.Metric) ? null : r.Form.Metric, r.Form.UnitSize, r.Form.Price ?? 0,
            r.Form.Limit, r.Form.HardLimit)).ToList();
        var input = new PlanInput(Form.Name ?? "", Form.Description, Form.Unit, Form.UnitPrice ?? 0, components, Form.IsActive);
        Validate(input);
        for (var i = 0; i < rows.Count; i++) Validate(components[i], $"{Prefix}.Components[{rows[i].Index}]");

        var saved = await TryAsync(async () =>
        {
            if (Id is null)
            {
                await PlansApi.Apply(plan, input, db, ct);
                db.Plans.Add(plan);
            }
            else plan = await PlansApi.EditAsync(plan, input, db, use, ct);
            await db.SaveChangesAsync(ct);
        });
        return saved ? Redirect(AdminLinks.Plan(plan.Id)) : await ShowAsync(ct);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        if (await db.Agents.AsNoTracking().Where(a => a.Id == AgentId).Select(a => a.Name).FirstOrDefaultAsync(ct) is not { } name)
            return NotFound();
        AgentName = name;
        var filled = Form.Components.Where(c => !c.IsBlank).Count();
        while (Form.Components.Count < filled + BlankRows) Form.Components.Add(new ComponentForm());
        return Page();
    }
}
