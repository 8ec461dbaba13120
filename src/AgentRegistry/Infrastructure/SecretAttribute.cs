namespace AgentRegistry.Infrastructure;

/// <summary>
/// A stored value that must never be read back from a record of changes: a hash, a sealed key, a shared secret, a
/// session stamp. The audit trail leaves such properties out, whatever their name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
