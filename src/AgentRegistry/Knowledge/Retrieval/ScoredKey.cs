namespace AgentRegistry.Knowledge;

public readonly record struct ScoredKey<TKey>(TKey Key, float Score);
