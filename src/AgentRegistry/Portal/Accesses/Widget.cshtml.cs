using AgentRegistry.Widget;
using Microsoft.AspNetCore.Mvc;

namespace AgentRegistry.Portal.Accesses;

/// <summary>One widget: every setting with a live preview of the theme and contrast feedback, the embed snippet and the preview page.</summary>
public sealed class WidgetModel(WidgetService widgets, WidgetLoader loader) : WidgetFormPage
{
    [BindProperty] public WidgetForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid WidgetId { get; set; }
    [BindProperty(SupportsGet = true)] public bool Created { get; set; }
    [BindProperty(SupportsGet = true)] public bool Saved { get; set; }
    public ChatWidget Widget { get; private set; } = null!;
    public string Snippet => loader.Snippet(Request, Widget.Key);
    public string PreviewUrl => $"/widget/{Widget.Key}/preview";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await widgets.GetAsync(Access.Id, WidgetId, ct) is not { } widget) return NotFoundPage();
        Widget = widget;
        Form = WidgetForm.Of(widget);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await widgets.GetAsync(Access.Id, WidgetId, ct) is not { } widget) return NotFoundPage();
        Widget = widget;
        var input = Form.Input();
        Validate(input);
        Validate(input.Theme!);
        if (await TryAsync(async () => Widget = (await widgets.UpdateAsync(Access.Id, WidgetId, input, ct))!))
            return Redirect($"/portal/accesses/{Access.Id}/widgets/{WidgetId}?saved=true");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct) =>
        await widgets.DeleteAsync(Access.Id, WidgetId, ct) ? Redirect($"/portal/accesses/{Access.Id}/widgets") : NotFoundPage();
}
