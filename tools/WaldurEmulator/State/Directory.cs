namespace WaldurEmulator.State;

/// <summary>People and organisations: users, customers (organisations), projects.</summary>
internal sealed class User
{
    public required string Uuid { get; init; }
    public required string Username { get; init; }
    public string FullName { get; init; } = "";
    public string Email { get; init; } = "";
    public bool IsStaff { get; set; }
    public bool IsSupport { get; set; }
    public required DateTimeOffset Created { get; init; }
    public bool SeesAllEvents => IsStaff || IsSupport;
}

internal sealed class Customer
{
    public required string Uuid { get; init; }
    public required string Name { get; set; }
    public required string Slug { get; init; }
    public string Abbreviation { get; set; } = "";
    public string Email { get; set; } = "";
    public string ContactDetails { get; set; } = "";
    public bool Blocked { get; set; }
    public bool Archived { get; set; }
    public required DateTimeOffset Created { get; init; }
}

internal sealed class Project
{
    public required string Uuid { get; init; }
    public required string Name { get; set; }
    public required string Slug { get; init; }
    public required string CustomerUuid { get; init; }
    public string Description { get; set; } = "";
    public DateOnly? EndDate { get; set; }
    public required DateTimeOffset Created { get; init; }
}

internal sealed class Category
{
    public required string Uuid { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
}

internal sealed class ServiceProvider
{
    public required string Uuid { get; init; }
    public required string CustomerUuid { get; init; }
    public string Description { get; set; } = "";
    public required DateTimeOffset Created { get; init; }
}
