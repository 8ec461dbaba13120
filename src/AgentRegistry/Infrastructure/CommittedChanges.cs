using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRegistry.Infrastructure;

/// <summary>A cache that forgets what a save changed. Told after the save ends (committed or failed).</summary>
public interface IForgetsChanges
{
    /// <summary>The entities the save added, modified or deleted, with their state before the save.</summary>
    void Forget(IReadOnlyList<(object Entity, EntityState State)> changed);
}

/// <summary>
/// Tells every <see cref="IForgetsChanges"/> what each save of the registry's context changed, so an in-memory copy
/// (a persona, an access's plan) is dropped by whichever write path made the change, without that path knowing the
/// caches. Writes that bypass the change tracker (<c>ExecuteUpdate</c>) are not seen; the caches' lifetimes cover them.
/// </summary>
public sealed class CommittedChanges(IEnumerable<IForgetsChanges> caches) : SaveChangesInterceptor
{
    private readonly IForgetsChanges[] _caches = [.. caches];
    private readonly ConditionalWeakTable<DbContext, List<(object, EntityState)>> _saving = new();

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
        Tell(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Tell(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // A failed save may have committed part of a batch elsewhere; forgetting too much only costs a reload.
    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Tell(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Tell(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null || _caches.Length == 0) return;
        List<(object, EntityState)>? changed = null;
        foreach (var e in context.ChangeTracker.Entries())
            if (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                (changed ??= []).Add((e.Entity, e.State));
        if (changed is not null) _saving.AddOrUpdate(context, changed);
    }

    private void Tell(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var changed)) return;
        _saving.Remove(context);
        foreach (var cache in _caches) cache.Forget(changed);
    }
}
