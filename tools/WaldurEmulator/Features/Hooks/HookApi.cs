using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Hooks;

/// <summary>/api/hooks-web/ CRUD. Staff see every hook; other users see their own.</summary>
internal static class HookApi
{
    private const string Route = "/hooks-web/";

    public static void MapHooks(this IEndpointRouteBuilder api)
    {
        api.MapMethods(Route, ["GET", "HEAD"], (HttpContext http, EmulatorStore store) =>
        {
            var q = ListQuery.From(http);
            lock (store.Sync)
            {
                var items = Visible(store, http.CurrentUser())
                    .When(q.Bool("is_active"), (h, v) => h.IsActive == v)
                    .When(q.Text("destination_url"), (h, v) => h.DestinationUrl == v)
                    .When(q.Text("content_type"), (h, v) => h.ContentType == v)
                    .When(q.Uuid("author_uuid"), (h, v) => h.AuthorUuid == v)
                    .ToList();
                return Paging.List(http, items, h => HookJsonMapper.Hook(store, Urls.From(http.Request), h));
            }
        });
        api.MapPost(Route, async (HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                var hook = new WebHook
                {
                    Uuid = Hex.NewUuid(), AuthorUuid = http.CurrentUser().Uuid, DestinationUrl = "", Created = store.Now,
                    Modified = store.Now,
                };
                HookJsonMapper.Apply(body, hook, partial: false);
                store.Hooks.Add(hook);
                return Results.Json(HookJsonMapper.Hook(store, Urls.From(http.Request), hook), EmulatorJson.Options, statusCode: 201);
            }
        });
        api.MapGet(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync) return Paging.One(http, HookJsonMapper.Hook(store, Urls.From(http.Request), Get(store, http, uuid)));
        });
        api.MapMethods(Route + "{uuid}/", ["PUT", "PATCH"], async (string uuid, HttpContext http, EmulatorStore store) =>
        {
            var body = await JsonBody.ReadAsync(http.Request);
            lock (store.Sync)
            {
                var hook = Get(store, http, uuid);
                HookJsonMapper.Apply(body, hook, partial: http.Request.Method == "PATCH");
                hook.Modified = store.Now;
                return Paging.One(http, HookJsonMapper.Hook(store, Urls.From(http.Request), hook));
            }
        });
        api.MapDelete(Route + "{uuid}/", (string uuid, HttpContext http, EmulatorStore store) =>
        {
            lock (store.Sync)
            {
                store.Hooks.Remove(Get(store, http, uuid));
                return Results.NoContent();
            }
        });
    }

    private static IEnumerable<WebHook> Visible(EmulatorStore store, User user) =>
        store.Hooks.All.Where(h => user.IsStaff || h.AuthorUuid == user.Uuid);

    private static WebHook Get(EmulatorStore store, HttpContext http, string uuid) =>
        Visible(store, http.CurrentUser()).FirstOrDefault(h => h.Uuid == Hex.Normalize(uuid)) ?? throw ApiException.NotFound();
}
