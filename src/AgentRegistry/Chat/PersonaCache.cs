using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Chat;

/// <summary>
/// The persona of each access kept in memory, so a message does not read the access, agent and configuration again.
/// An entry lives at most <see cref="ChatSettings.PersonaCacheSeconds"/>. As a save interceptor it drops, once a save
/// commits, the entries that save touched: a configuration (save or rollback), an access, or an agent (all its
/// accesses). Other replicas see such a change within the lifetime, as with cached API keys.
/// </summary>
public sealed class PersonaCache(IOptions<ChatSettings> settings) : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<Guid, (Persona Persona, long ExpiresAt)> _entries = new();
    private readonly ConditionalWeakTable<DbContext, Changed> _saving = new();
    private readonly Lock _evicting = new();
    private long _generation;

    public async Task<Persona> GetAsync(RegistryDb db, Guid accessId, CancellationToken ct)
    {
        if (_entries.TryGetValue(accessId, out var entry) && entry.ExpiresAt > Environment.TickCount64) return entry.Persona;
        var generation = Interlocked.Read(ref _generation);
        var persona = await Persona.LoadAsync(db, accessId, settings.Value.DefaultFallbackAnswer, ct);
        // A change committed while this load ran may not be in it: keep it only if nothing was evicted meanwhile.
        lock (_evicting)
            if (_generation == generation)
                _entries[accessId] = (persona, Environment.TickCount64 + settings.Value.PersonaCacheSeconds * 1000L);
        return persona;
    }

    public void EvictAccess(Guid accessId)
    {
        lock (_evicting)
        {
            _generation++;
            _entries.TryRemove(accessId, out _);
        }
    }

    public void EvictAgent(Guid agentId)
    {
        lock (_evicting)
        {
            _generation++;
            foreach (var (id, entry) in _entries)
                if (entry.Persona.AgentId == agentId) _entries.TryRemove(id, out _);
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Evict(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Evict(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Evict(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Evict(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Remembers which personas the pending save changes (the registry's save has just detected changes).</summary>
    private void Note(DbContext? context)
    {
        if (context is null) return;
        Changed? changed = null;
        foreach (var e in context.ChangeTracker.Entries())
        {
            if (e.State is EntityState.Unchanged or EntityState.Detached) continue;
            switch (e.Entity)
            {
                case Agent a when e.State != EntityState.Added:
                    (changed ??= new()).Agents.Add(a.Id);
                    break;
                case AgentAccess a when e.State != EntityState.Added:
                    (changed ??= new()).Accesses.Add(a.Id);
                    break;
                case CustomerConfiguration c:
                    (changed ??= new()).Accesses.Add(c.AccessId);
                    break;
            }
        }
        if (changed is not null) _saving.AddOrUpdate(context, changed);
    }

    private void Evict(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var changed)) return;
        _saving.Remove(context);
        foreach (var id in changed.Accesses) EvictAccess(id);
        foreach (var id in changed.Agents) EvictAgent(id);
    }

    private sealed class Changed
    {
        public HashSet<Guid> Agents { get; } = [];
        public HashSet<Guid> Accesses { get; } = [];
    }
}
