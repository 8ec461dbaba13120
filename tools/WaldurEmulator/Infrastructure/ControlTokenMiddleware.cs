using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WaldurEmulator.Infrastructure;

/// <summary>When Emulator:ControlToken is set, /emulator/ calls must carry it in X-Emulator-Token.</summary>
internal sealed class ControlTokenMiddleware(RequestDelegate next, IOptions<EmulatorOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var expected = options.Value.ControlToken;
        if (string.IsNullOrEmpty(expected) || !context.Request.Path.StartsWithSegments("/emulator")) return next(context);

        var given = context.Request.Headers["X-Emulator-Token"].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            return next(context);
        throw ApiException.Detail(StatusCodes.Status401Unauthorized, "Invalid emulator control token.");
    }
}
