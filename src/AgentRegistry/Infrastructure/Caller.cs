using System.Security.Claims;
using AgentRegistry.Identity;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// Who is calling, per request or job scope. Read from the signed-in principal on first use,
/// so the data layer filters by tenant without any endpoint having to set it.
/// Outside a request nothing is visible until a job declares itself <see cref="AsSystem"/>.
/// </summary>
public sealed class Caller(IHttpContextAccessor http)
{
    private bool _resolved;
    private Guid? _tenantId;
    private bool _allTenants;
    private string _actor = "anonymous";

    public Guid? TenantId { get { Resolve(); return _tenantId; } }
    public bool AllTenants { get { Resolve(); return _allTenants; } }
    public string Actor { get { Resolve(); return _actor; } }

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

    private void Resolve()
    {
        if (_resolved) return;
        _resolved = true;
        if (http.HttpContext?.User is not { Identity.IsAuthenticated: true } user) return;
        _actor = user.FindFirstValue(RegistryClaims.Actor) ?? user.Identity?.Name ?? "unknown";
        if (user.IsInRole(Roles.Operator)) { _allTenants = true; return; }
        if (Guid.TryParse(user.FindFirstValue(RegistryClaims.Tenant), out var tenant)) _tenantId = tenant;
    }
}

public static class RegistryClaims
{
    public const string Tenant = "tenant";
    public const string Actor = "actor";
    public const string Scope = "scope";
    public const string AccessId = "access_id";
    public const string ApiKeyId = "api_key_id";
    public const string AgentId = "agent_id";
}
