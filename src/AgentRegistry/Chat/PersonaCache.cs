using System.Collections.Concurrent;
using AgentRegistry.Access;
using AgentRegistry.Catalog;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Chat;

/// <summary>
/// The persona of each access kept in memory, so a message does not read the access, agent and configuration again.
/// An entry lives at most <see cref="ChatSettings.PersonaCacheSeconds"/>. Told by <see cref="CommittedChanges"/>, it drops,
/// once a save ends, the entries that save touched: a configuration (save or rollback), an access, or an agent (all its
/// accesses). Other replicas see such a change within the lifetime, as with cached API keys.
/// </summary>
public sealed class PersonaCache(IOptions<ChatSettings> settings) : IForgetsChanges
{
    private readonly ConcurrentDictionary<Guid, (Persona Persona, long ExpiresAt)> _entries = new();
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

    public void Forget(IReadOnlyList<(object Entity, EntityState State)> changed)
    {
        foreach (var (entity, state) in changed)
            switch (entity)
            {
                case Agent a when state != EntityState.Added: EvictAgent(a.Id); break;
                case AgentAccess a when state != EntityState.Added: EvictAccess(a.Id); break;
                case CustomerConfiguration c: EvictAccess(c.AccessId); break;
            }
    }
}
