namespace AgentRegistry.Identity;

public sealed class RegistryIdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Operator account created at first start when no account exists. When the password is
    /// empty one is generated and printed once to the console.</summary>
    public string BootstrapAdminEmail { get; set; } = "admin@localhost";
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Local password login; turn off when everyone signs in through OpenID Connect.</summary>
    public bool LocalLogin { get; set; } = true;
}

/// <summary>OpenID Connect (e.g. Keycloak) for people, and JWT bearer tokens from the same issuer for the API.</summary>
public sealed class OidcOptions
{
    public const string Section = "Oidc";

    /// <summary>Issuer URL, e.g. https://sso.example.com/realms/agents. Empty: OIDC off.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>Accepted audience of API bearer tokens; defaults to the client id.</summary>
    public string? Audience { get; set; }
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>Claim holding roles; Keycloak's nested realm_access.roles is read as well.</summary>
    public string RoleClaim { get; set; } = "roles";
    public string OperatorRole { get; set; } = "agentregistry-operator";
    /// <summary>Claim naming the person's tenants (one or several values): Waldur customer UUIDs or registry tenant ids.</summary>
    public string TenantClaim { get; set; } = "waldur_customer_uuid";
    /// <summary>Claim listing the person's groups (Keycloak's group membership mapper); a group whose last path segment
    /// is a Waldur customer UUID or a tenant id makes its members members of that tenant. Empty: groups are not read.</summary>
    public string GroupsClaim { get; set; } = "groups";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
    public bool Interactive => Enabled && !string.IsNullOrWhiteSpace(ClientId);
}
