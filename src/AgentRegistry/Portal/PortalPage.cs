using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using AgentRegistry.Infrastructure;
using AgentRegistry.Waldur;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace AgentRegistry.Portal;

/// <summary>
/// Base of every portal page. Before any handler runs it opens the tenant, or on <c>/portal/accesses/{id}/…</c> the
/// access, and answers 404 for anything the person may not see, exactly as the API does. Forms validate the REST API's
/// own input records and show the services' refusals beside the fields they name.
/// </summary>
public abstract class PortalPage : PageModel
{
    private PortalAccess? _access;

    /// <summary>The access of an access page.</summary>
    public PortalAccess Access => _access ?? throw new InvalidOperationException("Not an access page.");
    public bool HasAccess => _access is not null;
    public PortalTenant? Tenant { get; private set; }
    public IReadOnlyList<PortalTenant> Choices { get; private set; } = [];
    public bool IsOperator { get; private set; }
    public WaldurLinks Waldur => HttpContext.RequestServices.GetRequiredService<WaldurLinks>();
    public DateTime Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var portal = HttpContext.RequestServices.GetRequiredService<PortalContext>();
        var ct = HttpContext.RequestAborted;
        IsOperator = portal.IsOperator;
        Choices = await portal.ChoicesAsync(ct);
        if (RouteData.Values.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id))
        {
            if (await portal.OpenAccessAsync(id, ct) is not { } access)
            {
                context.Result = NotFoundPage();
                return;
            }
            _access = access;
            Tenant = access.Tenant;
            Remember(access.Tenant.Id);
        }
        else
        {
            Tenant = await portal.OpenTenantAsync(Caller.Chosen(HttpContext), ct);
        }
        await next();
    }

    /// <summary>Keeps the tenant the person is in for their next pages (and their cookie-authenticated API calls).</summary>
    protected void Remember(Guid tenant)
    {
        if (Request.Cookies[Caller.TenantCookie] == tenant.ToString()) return;
        Response.Cookies.Append(Caller.TenantCookie, tenant.ToString(), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, Path = "/", IsEssential = true,
        });
    }

    /// <summary>The portal's 404: the same answer for what does not exist and for what belongs to someone else.</summary>
    public IActionResult NotFoundPage() => new PartialViewResult
    {
        ViewName = "/Portal/_NotFound.cshtml", StatusCode = StatusCodes.Status404NotFound,
        ViewData = new ViewDataDictionary(MetadataProvider, ModelState),
    };

    /// <summary>Whether the request came from the page's own script, which wants JSON (problem details on refusal) back.</summary>
    protected bool WantsJson => Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    protected static JsonResult Json(object value) => new(value, PortalJson.Options);

    /// <summary>Validates a REST input record with its data annotations; errors are named by form field (under <paramref name="prefix"/>).</summary>
    protected bool Validate(object input, string prefix = "Form")
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true);
        foreach (var r in results)
            foreach (var member in r.MemberNames.DefaultIfEmpty(""))
                ModelState.AddModelError(member.Length == 0 ? "" : $"{prefix}.{member}", r.ErrorMessage ?? "The value is not valid.");
        return ModelState.IsValid;
    }

    /// <summary>Runs a change through a service; a refusal is put beside the field it names (or above the form) and nothing was saved.</summary>
    protected async Task<bool> TryAsync(Func<Task> change)
    {
        if (!ModelState.IsValid) return false;
        try
        {
            await change();
            return true;
        }
        catch (FieldException e)
        {
            ModelState.AddModelError(FormKey(e.Field), FieldMessage(e.Field, e.Message));
        }
        catch (RegistryException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return false;
    }

    /// <summary>The form field of an API field name ("answer_length" → "Form.AnswerLength").</summary>
    protected virtual string FormKey(string field) => "Form." + PortalFormat.Pascal(field);

    protected virtual string FieldMessage(string field, string message) => message;
}

/// <summary>JSON as the REST API writes it (snake_case), for the answers the pages' scripts read.</summary>
public static class PortalJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Infrastructure.Json.Configure(o);
        return o;
    }
}
