using WaldurEmulator.Features.Events;
using WaldurEmulator.State;

namespace WaldurEmulator.Infrastructure;

/// <summary>
/// DRF TokenAuthentication for /api/: "Authorization: Token &lt;key&gt;" (scheme case-insensitive);
/// "Bearer &lt;key&gt;" is accepted too, as newer Waldur accepts personal access tokens.
/// </summary>
internal sealed class TokenAuthMiddleware(RequestDelegate next, EmulatorStore store)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api")) return next(context);

        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(header)) return Reject("Authentication credentials were not provided.");

        var parts = header.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !(parts[0].Equals("Token", StringComparison.OrdinalIgnoreCase)
                                   || parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)))
            return Reject(parts.Length == 1 ? "Invalid token header. No credentials provided." : "Invalid token header.");

        var user = store.UserForToken(parts[1]);
        if (user is null) return Reject("Invalid token.");
        context.Items[typeof(User)] = user;
        return next(context);

        static Task Reject(string detail) => throw ApiException.Detail(StatusCodes.Status401Unauthorized, detail);
    }
}

internal static class CurrentUserExtensions
{
    public static User CurrentUser(this HttpContext context) =>
        context.Items[typeof(User)] as User ?? throw new InvalidOperationException("No authenticated user.");

    public static Actor Actor(this HttpContext context) =>
        new(context.CurrentUser(), context.Connection.RemoteIpAddress?.ToString());
}
