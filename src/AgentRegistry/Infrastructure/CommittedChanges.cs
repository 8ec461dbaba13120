using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AgentRegistry.Infrastructure;

/// <summary>
/// A cache that forgets what a save changed. Told after the save ends (committed or failed; a save inside a transaction
/// the caller opened, once that transaction ends, so a reload in between cannot bring back what is about to change),
/// on this replica with the
/// saved entities, and, with Redis configured, on every other replica with copies that carry only their key and foreign
/// key values (<see cref="Replicas.ChangeBroadcast"/>): decide by those.
/// </summary>
public interface IForgetsChanges
{
    /// <summary>
    /// The entity types whose changes this cache forgets. Saves of other types (messages, usage records: the hot
    /// path's writes) are not collected for it, so they cost nothing here.
    /// </summary>
    IReadOnlyCollection<Type> Watches { get; }

    /// <summary>The entities the save added, modified or deleted, with their state before the save.</summary>
    void Forget(IReadOnlyList<(object Entity, EntityState State)> changed);
}

/// <summary>
/// Tells every <see cref="IForgetsChanges"/> what each save of the registry's context changed, so an in-memory copy
/// (a persona, an access's plan) is dropped by whichever write path made the change, without that path knowing the
/// caches. Writes that bypass the change tracker (<c>ExecuteUpdate</c>) are not seen; the caches' lifetimes cover them.
/// Saves inside a transaction opened around them (a document's chunks stored with its status) are told when that
/// transaction commits or rolls back: told at the save, a cache could reload the old rows before the commit and keep them.
/// Register <see cref="TransactionEnds"/> beside it.
/// </summary>
public sealed class CommittedChanges(IEnumerable<IForgetsChanges> caches, IServiceProvider services) : SaveChangesInterceptor
{
    /// <summary>The interceptor that tells what the saves inside a transaction changed when the transaction ends.</summary>
    public IInterceptor TransactionEnds => _transactionEnds ??= new TransactionEnd(this);
    private TransactionEnd? _transactionEnds;

    private readonly IForgetsChanges[] _caches = [.. caches];
    private readonly HashSet<Type> _watched = [.. caches.SelectMany(c => c.Watches)];
    private readonly Replicas.ChangeBroadcast? _broadcast = services.GetService<Replicas.ChangeBroadcast>();
    private readonly ConditionalWeakTable<DbContext, List<(object, EntityState)>> _saving = new();
    private readonly ConditionalWeakTable<DbContext, List<Replicas.ChangedRow>> _rows = new();

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
        List<Replicas.ChangedRow>? rows = null;
        foreach (var e in context.ChangeTracker.Entries())
            if (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && _watched.Contains(e.Metadata.ClrType))
            {
                (changed ??= []).Add((e.Entity, e.State));
                if (_broadcast is not null) (rows ??= []).Add(Row(e));
            }
        // Saves inside one transaction add up until it ends.
        if (changed is not null)
        {
            if (_saving.TryGetValue(context, out var earlier)) earlier.AddRange(changed);
            else _saving.AddOrUpdate(context, changed);
        }
        if (rows is not null)
        {
            if (_rows.TryGetValue(context, out var earlier)) earlier.AddRange(rows);
            else _rows.AddOrUpdate(context, rows);
        }
    }

    /// <summary>Key and foreign key values only: what a cache keys on, never a secret.</summary>
    private static Replicas.ChangedRow Row(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry e) => new(
        e.Metadata.ClrType.FullName!, e.State,
        e.Properties.Where(p => p.Metadata.PropertyInfo is not null && (p.Metadata.IsKey() || p.Metadata.IsForeignKey()))
            .ToDictionary(p => p.Metadata.Name, p => (e.State == EntityState.Deleted ? p.OriginalValue : p.CurrentValue) switch
            {
                null => null,
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var v => v.ToString(),
            }));

    private void Tell(DbContext? context, bool transactionEnded = false)
    {
        if (context is null || !_saving.TryGetValue(context, out var changed)) return;
        if (!transactionEnded && context.Database.CurrentTransaction is not null) return;
        _saving.Remove(context);
        foreach (var cache in _caches) cache.Forget(changed);
        if (_broadcast is not null && _rows.TryGetValue(context, out var rows))
        {
            _rows.Remove(context);
            _broadcast.Publish(rows);
        }
    }

    private sealed class TransactionEnd(CommittedChanges changes) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
            changes.Tell(eventData.Context, transactionEnded: true);

        public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            changes.Tell(eventData.Context, transactionEnded: true);
            return Task.CompletedTask;
        }

        // Rolled back or failed: what was saved is gone again, and forgetting too much only costs a reload.
        public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
            changes.Tell(eventData.Context, transactionEnded: true);

        public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            changes.Tell(eventData.Context, transactionEnded: true);
            return Task.CompletedTask;
        }

        public override void TransactionFailed(System.Data.Common.DbTransaction transaction, TransactionErrorEventData eventData) =>
            changes.Tell(eventData.Context, transactionEnded: true);

        public override Task TransactionFailedAsync(System.Data.Common.DbTransaction transaction, TransactionErrorEventData eventData,
            CancellationToken cancellationToken = default)
        {
            changes.Tell(eventData.Context, transactionEnded: true);
            return Task.CompletedTask;
        }
    }
}
