using AgentRegistry.Widget;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>The access's widgets, and a new one: name, the sites allowed to embed it and its colours; the rest on its own page.</summary>
public sealed class WidgetsModel(WidgetService widgets) : WidgetFormPage
{
    [BindProperty] public WidgetForm Form { get; set; } = new();
    public List<ChatWidget> Widgets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Widgets = await widgets.ListAsync(Access.Id, ct) ?? [];

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var input = Form.Input();
        Validate(input);
        Validate(input.Theme!);
        ChatWidget? created = null;
        if (await TryAsync(async () => created = await widgets.CreateAsync(Access.Id, input, ct)))
            return Redirect($"/portal/accesses/{Access.Id}/widgets/{created!.Id}?created=true");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await OnGetAsync(ct);
        return Page();
    }
}
