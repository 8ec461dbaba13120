using AgentRegistry.Access;
using AgentRegistry.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AgentRegistry.Widget;

/// <summary>A widget as the public routes need it: its settings and its access's standing.</summary>
public sealed record PublishedWidget(ChatWidget Widget, AccessStanding Standing);

/// <summary>
/// Widgets by their public key, with their access's standing, kept in memory for <c>Widget:DirectorySeconds</c>: a
/// visitor's message reads neither. Told by <see cref="CommittedChanges"/> (on every replica, with Redis), it drops a
/// changed widget, every widget of a changed access, and everything when a tenant or project changes (blocking or
/// ending stops their widgets at once). Unknown keys are not kept.
/// </summary>
public sealed class WidgetDirectory(IOptionsMonitor<WidgetOptions> options) : IForgetsChanges
{
    private readonly FreshCache<string, PublishedWidget> _widgets = new(() => TimeSpan.FromSeconds(options.CurrentValue.DirectorySeconds));

    /// <summary>The widget of the key with its access's standing; null when no widget has it. Reads past the tenant filter.</summary>
    public ValueTask<PublishedWidget?> FindAsync(RegistryDb db, string widgetKey, CancellationToken ct) =>
        _widgets.GetAsync(widgetKey, async c =>
        {
            var widget = await db.Widgets.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(w => w.Key == widgetKey, c);
            if (widget is null) return null;
            var standing = await db.Accesses.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == widget.AccessId)
                .Select(AccessStanding.Of).FirstOrDefaultAsync(c);
            return standing is null ? null : new PublishedWidget(widget, standing);
        }, ct);

    public IReadOnlyCollection<Type> Watches { get; } = [typeof(ChatWidget), .. AccessStanding.Sources];

    public void Forget(IReadOnlyList<(object Entity, EntityState State)> changed)
    {
        foreach (var (entity, state) in changed)
            if (entity is ChatWidget w && state != EntityState.Added) _widgets.Evict(p => p.Widget.Id == w.Id);
            else if (AccessStanding.Changes(entity, state, out var accessId))
            {
                if (accessId is { } id) _widgets.Evict(p => p.Widget.AccessId == id);
                else
                {
                    // A tenant blocked or a project ended stops every widget under it.
                    _widgets.Clear();
                    return;
                }
            }
    }
}
