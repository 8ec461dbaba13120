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
    private readonly FreshCache<Guid, Persona> _entries = new(() => TimeSpan.FromSeconds(settings.Value.PersonaCacheSeconds));

    public async Task<Persona> GetAsync(RegistryDb db, Guid accessId, CancellationToken ct) =>
        (await _entries.GetAsync(accessId, async c => await Persona.LoadAsync(db, accessId, settings.Value.DefaultFallbackAnswer, c), ct))!;

    public void EvictAccess(Guid accessId) => _entries.Evict(accessId);

    public void EvictAgent(Guid agentId) => _entries.Evict(p => p.AgentId == agentId);

    public IReadOnlyCollection<Type> Watches { get; } = [typeof(Agent), typeof(AgentAccess), typeof(CustomerConfiguration)];

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
