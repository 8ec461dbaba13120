using AgentRegistry.Metering;
using AgentRegistry.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Admin.Quotas;

public sealed class DetailsModel(RegistryDb db) : PageModel
{
    public long Id { get; private set; }
    public List<Field> Fields { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await db.QuotaSnapshots.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is not { } row) return NotFound();
        Id = id;
        Fields = EntityFields.Of(row);
        return Page();
    }
}
