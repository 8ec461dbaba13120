namespace AgentRegistry.Waldur.Client;

/// <summary>A Waldur customer (organisation).</summary>
public sealed record WaldurCustomer(
    Guid Uuid,
    string Name,
    string? Abbreviation,
    string? Email,
    string? BackendId,
    bool Blocked,
    bool Archived,
    bool IsServiceProvider,
    Guid? ServiceProviderUuid,
    DateTimeOffset? Created);

/// <summary>A Waldur project of a customer.</summary>
public sealed record WaldurProject(
    Guid Uuid,
    string Name,
    Guid? CustomerUuid,
    string? CustomerName,
    string? Description,
    DateOnly? EndDate,
    bool IsRemoved,
    DateTimeOffset? Created);

/// <summary>The user a token belongs to (<c>/api/users/me/</c>).</summary>
public sealed record WaldurUser(Guid Uuid, string Username, string? FullName, string? Email, bool IsStaff, bool IsSupport);
