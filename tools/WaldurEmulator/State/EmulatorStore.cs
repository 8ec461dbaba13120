using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WaldurEmulator.Infrastructure;

namespace WaldurEmulator.State;

/// <summary>All emulated Waldur data, in memory. Every read and write holds <see cref="Sync"/>.</summary>
internal sealed partial class EmulatorStore
{
    private readonly IOptions<EmulatorOptions> options;
    private readonly TimeProvider time;

    public EmulatorStore(IOptions<EmulatorOptions> options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        Reset();
    }

    public Lock Sync { get; } = new();
    public DateTimeOffset Now => time.GetUtcNow();

    public Table<User> Users { get; } = new(u => u.Uuid);
    public Dictionary<string, string> TokenUsers { get; } = new(StringComparer.Ordinal);
    public Table<Customer> Customers { get; } = new(c => c.Uuid);
    public Table<Project> Projects { get; } = new(p => p.Uuid);
    public Table<Category> Categories { get; } = new(c => c.Uuid);
    public Table<ServiceProvider> ServiceProviders { get; } = new(s => s.Uuid);
    public Table<Offering> Offerings { get; } = new(o => o.Uuid);
    public Table<Plan> Plans { get; } = new(p => p.Uuid);
    public Table<Order> Orders { get; } = new(o => o.Uuid);
    public Table<Resource> Resources { get; } = new(r => r.Uuid);
    public Table<ComponentUsage> Usages { get; } = new(u => u.Uuid);
    public Table<WebHook> Hooks { get; } = new(h => h.Uuid);
    public Table<EventRecord> Events { get; } = new(e => e.Uuid);

    /// <summary>Forgets everything, then seeds the configured token users and the "AI Agents" category.</summary>
    public void Reset()
    {
        lock (Sync)
        {
            foreach (var clear in new Action[] { Users.Clear, TokenUsers.Clear, Customers.Clear, Projects.Clear,
                         Categories.Clear, ServiceProviders.Clear, Offerings.Clear, Plans.Clear, Orders.Clear,
                         Resources.Clear, Usages.Clear, Hooks.Clear, Events.Clear })
                clear();
            foreach (var token in options.Value.Tokens)
                AddToken(token.Token, token.Username, token.IsStaff, token.IsSupport);
            Categories.Add(new Category { Uuid = Hex.NewUuid(), Title = "AI Agents", Description = "Agents offered by providers." });
        }
    }

    public User AddToken(string token, string username, bool isStaff, bool isSupport)
    {
        lock (Sync)
        {
            var user = UserNamed(username);
            user.IsStaff = isStaff;
            user.IsSupport = isSupport;
            TokenUsers[token] = user.Uuid;
            return user;
        }
    }

    public User UserNamed(string username)
    {
        lock (Sync)
        {
            return Users.All.FirstOrDefault(u => u.Username == username) ?? Users.Add(new User
            {
                Uuid = Hex.NewUuid(), Username = username, FullName = username, Email = $"{username}@example.org",
                Created = Now,
            });
        }
    }

    public User? UserForToken(string token)
    {
        lock (Sync) return TokenUsers.TryGetValue(token, out var uuid) ? Users.Find(uuid) : null;
    }

    /// <summary>A slug as Django's slugify makes it, made unique with a numeric suffix.</summary>
    public static string Slug(string name, IEnumerable<string> taken)
    {
        var slug = NonSlug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        if (slug.Length == 0) slug = "item";
        if (slug.Length > 40) slug = slug[..40];
        var used = taken.ToHashSet();
        var candidate = slug;
        for (var n = 1; used.Contains(candidate); n++) candidate = $"{slug}-{n}";
        return candidate;
    }

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NonSlug();
}
