using System.Security.Claims;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Who is calling, per request or job scope. Read from the signed-in principal on first use,
/// so the data layer filters by tenant without any endpoint having to set it.
/// Outside a request nothing is visible until a job declares itself <see cref="AsSystem"/>.
/// A person who belongs to several tenants works in one at a time: the current tenant, chosen with the
/// <see cref="TenantHeader"/> header or the <see cref="TenantCookie"/> cookie (the portal's tenant switcher), else the first.
/// </summary>
public sealed class Caller(IHttpContextAccessor http)
{
    /// <summary>The cookie the portal's tenant switcher sets; only a tenant the person belongs to is honoured.</summary>
    public const string TenantCookie = "agentregistry-tenant";
    /// <summary>The same choice for API clients, per request.</summary>
    public const string TenantHeader = "X-Tenant-Id";

    private bool _resolved;
    private Guid? _tenantId;
    private bool _allTenants;
    private bool _isOperator;
    private IReadOnlyList<Guid> _memberOf = [];
    private string _actor = "anonymous";

    public Guid? TenantId { get { Resolve(); return _tenantId; } }
    public bool AllTenants { get { Resolve(); return _allTenants; } }
    public string Actor { get { Resolve(); return _actor; } }
    /// <summary>A signed-in operator, also while narrowed to one tenant's portal.</summary>
    public bool IsOperator { get { Resolve(); return _isOperator; } }
    /// <summary>The tenants a member belongs to, the home tenant first; empty for operators and anonymous callers.</summary>
    public IReadOnlyList<Guid> MemberOf { get { Resolve(); return _memberOf; } }

    /// <summary>For background work: sees every tenant and is recorded as "system" in the audit log.</summary>
    public Caller AsSystem(string actor = "system")
    {
        _resolved = true;
        _allTenants = true;
        _tenantId = null;
        _actor = actor;
        return this;
    }

    /// <summary>For work done on behalf of one tenant outside a request.</summary>
    public Caller AsTenant(Guid tenantId, string actor)
    {
        _resolved = true;
        _allTenants = false;
        _tenantId = tenantId;
        _actor = actor;
        return this;
    }

    /// <summary>
    /// Narrows what the data layer shows to one tenant: one the person belongs to, or any for an operator (who then
    /// sees that tenant only, as its members do). False, and nothing changes, for any other tenant.
    /// </summary>
    public bool Use(Guid tenantId)
    {
        Resolve();
        if (!_isOperator && !_memberOf.Contains(tenantId)) return false;
        _allTenants = false;
        _tenantId = tenantId;
        return true;
    }

    private void Resolve()
    {
        if (_resolved) return;
        _resolved = true;
        if (http.HttpContext?.User is not { Identity.IsAuthenticated: true } user) return;
        _actor = user.FindFirstValue(RegistryClaims.Actor) ?? user.Identity?.Name ?? "unknown";
        if (user.IsInRole(Roles.Operator))
        {
            _isOperator = true;
            _allTenants = true;
            return;
        }
        var tenants = new List<Guid>();
        foreach (var claim in user.FindAll(RegistryClaims.Tenant))
            if (Guid.TryParse(claim.Value, out var tenant) && !tenants.Contains(tenant)) tenants.Add(tenant);
        _memberOf = tenants;
        var chosen = Chosen(http.HttpContext);
        _tenantId = chosen is { } c && tenants.Contains(c) ? c : tenants.Count > 0 ? tenants[0] : null;
    }

    /// <summary>The tenant the request asks to work in, if any.</summary>
    public static Guid? Chosen(HttpContext context) =>
        Guid.TryParse(context.Request.Headers[TenantHeader].ToString(), out var header) ? header
        : Guid.TryParse(context.Request.Cookies[TenantCookie], out var cookie) ? cookie
        : null;
}

public static class RegistryClaims
{
    public const string Tenant = "tenant";
    public const string Actor = "actor";
    public const string Scope = "scope";
    public const string AccessId = "access_id";
    public const string ApiKeyId = "api_key_id";
    public const string AgentId = "agent_id";
    /// <summary>Set when the caller is a personal access token (its id); the other claims are its owner's.</summary>
    public const string PersonalToken = "pat_id";
    /// <summary>A local session's copy of its account's security stamp (Identity checks it on every request).</summary>
    public const string SessionStamp = "session_stamp";
}
