using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Offerings;

/// <summary>Offering state machine: activate, pause, unpause, archive, draft.</summary>
internal static class OfferingTransitions
{
    private static readonly Dictionary<string, (string[] From, string To)> Actions = new()
    {
        ["activate"] = ([OfferingStates.Draft, OfferingStates.Paused, OfferingStates.Unavailable], OfferingStates.Active),
        ["pause"] = ([OfferingStates.Active], OfferingStates.Paused),
        ["unpause"] = ([OfferingStates.Paused], OfferingStates.Active),
        ["archive"] = ([OfferingStates.Draft, OfferingStates.Active, OfferingStates.Paused, OfferingStates.Unavailable], OfferingStates.Archived),
        ["draft"] = ([OfferingStates.Active, OfferingStates.Paused, OfferingStates.Archived, OfferingStates.Unavailable], OfferingStates.Draft),
    };

    public static IEnumerable<string> Names => Actions.Keys;

    /// <summary>Moves the offering, or answers 409 like Waldur's StateValidator.</summary>
    public static void Apply(Offering offering, string action, string? pausedReason)
    {
        var (from, to) = Actions[action];
        if (!from.Contains(offering.State)) throw ApiException.WrongState(from);
        offering.State = to;
        offering.PausedReason = to == OfferingStates.Paused ? pausedReason ?? "" : "";
    }
}
