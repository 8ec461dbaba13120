using System.Text.Encodings.Web;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AgentRegistry.Widget;

/// <summary>
/// A demo page on the registry's own origin. That origin is not on the widget's allowlist; instead the page carries a
/// short-lived preview ticket, issued only to a signed-in member of the widget's tenant, that allows it for this widget.
/// </summary>
internal static class WidgetPreview
{
    public static async Task<IResult> Page(string widgetKey, HttpContext http, RegistryDb db, WidgetLoader loader, VisitorTokens tokens,
        CancellationToken ct)
    {
        // The data layer shows members their own tenant's widgets only: another tenant's key is a 404 here.
        if (await db.Widgets.AsNoTracking().FirstOrDefaultAsync(w => w.Key == widgetKey, ct) is not { } widget)
            return Problems.Result(404, "widget-not-found", "No widget of yours has this key.");
        var ticket = tokens.Issue(widget.Id, "preview_" + db.Caller.Actor, preview: true, out _);
        var h = HtmlEncoder.Default;
        http.Response.Headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Preview: {h.Encode(widget.Name)}</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937{"}"}</style></head>
            <body><main><h1>Widget preview: {h.Encode(widget.Name)}</h1>
            <p>This page shows the widget as visitors see it{(widget.Enabled ? "" : " (the widget is disabled, so it will not start)")}.
            Conversations here are recorded like any other.</p></main>
            <script src="{loader.Snippet(http.Request, "").Split('"')[1]}" integrity="{loader.Integrity}" crossorigin="anonymous"
              data-widget-key="{h.Encode(widget.Key)}" data-preview="{h.Encode(ticket)}" async></script>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
