using AgentRegistry.Waldur;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.UsageReports;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public long Id { get; private set; }
    public List<Field> Fields { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await db.UsageReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is not { } row) return NotFound();
        Id = id;
        Fields = EntityFields.Of(row, nameof(row.Answer));
        Fields.Add(new Field("Reconciliation", "this month", $"/admin/reconciliation?access={row.AccessId}&month={row.Period:yyyy-MM}"));
        return Page();
    }
}
