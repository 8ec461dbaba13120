using System.Text.RegularExpressions;

namespace AgentRegistry.Knowledge;

/// <summary>
/// The kind of value a question asks for, read from its wording: "how heavy" asks for a mass, "which email address" for an
/// email address, "how long" for a duration. The words that ask ("heavy", "email", "address") seldom stand in the text that
/// answers ("Weight: 180 g", "Write to support@..."); the value does. So the composer counts the type as one question term,
/// matched by a piece holding a value of that kind, in place of the words that asked for it.
/// </summary>
internal sealed partial class AnswerType
{
    private AnswerType(string name, Regex value, params string[] asking)
    {
        Name = name;
        Value = value;
        Asking = asking.Select(Terms.Key).ToHashSet(StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>A value of this kind in a piece: "180 g", "support@example.com", "20 minutes".</summary>
    public Regex Value { get; }

    /// <summary>The question's words (as term keys) that ask for the type rather than name the subject.</summary>
    public HashSet<string> Asking { get; }

    private static readonly AnswerType Email = new("email", EmailValue(), "email", "mail", "address", "e");
    private static readonly AnswerType Phone = new("phone", PhoneValue(), "phone", "telephone", "number", "call", "ring");
    private static readonly AnswerType Url = new("url", UrlValue(), "url", "website", "web", "link", "address");
    private static readonly AnswerType Mass = new("mass", MassValue(), "heavy", "weigh", "weight");
    private static readonly AnswerType Size = new("size", SizeValue(),
        "big", "large", "small", "tall", "wide", "thick", "deep", "high", "dimension", "measurement", "size");
    private static readonly AnswerType Duration = new("duration", DurationValue(), "soon", "time", "quickly");
    private static readonly AnswerType Rate = new("rate", RateValue(), "fast", "quick", "quickly", "speed");
    private static readonly AnswerType Money = new("money", MoneyValue(), "cost", "price", "fee", "charge", "pay");

    /// <summary>The type a question asks for; null when its wording names none (then any piece may answer).</summary>
    public static AnswerType? Of(string question)
    {
        var q = question.Trim().ToLowerInvariant();
        if (AsksEmail().IsMatch(q)) return Email;
        if (AsksPhone().IsMatch(q)) return Phone;
        if (AsksUrl().IsMatch(q)) return Url;
        if (AsksMass().IsMatch(q)) return Mass;
        if (AsksSize().IsMatch(q)) return Size;
        if (AsksRate().IsMatch(q)) return Rate;
        if (AsksDuration().IsMatch(q)) return Duration;
        if (AsksMoney().IsMatch(q)) return Money;
        return null;
    }

    [GeneratedRegex(@"\be-?mail\b")]
    private static partial Regex AsksEmail();

    [GeneratedRegex(@"\b(tele)?phone\b|\bnumber (do|should|can) i call\b")]
    private static partial Regex AsksPhone();

    [GeneratedRegex(@"\b(url|website|web address|link)\b")]
    private static partial Regex AsksUrl();

    [GeneratedRegex(@"\bhow heavy\b|\bweigh(s|t)?\b")]
    private static partial Regex AsksMass();

    [GeneratedRegex(@"\bhow (big|large|small|tall|wide|thick|deep|high)\b|\b(dimensions?|measurements?|size)\b")]
    private static partial Regex AsksSize();

    [GeneratedRegex(@"\bhow (fast|quick|quickly)\b|\bwhat speed\b")]
    private static partial Regex AsksRate();

    [GeneratedRegex(@"^how (long|soon)\b|\bhow much time\b")]
    private static partial Regex AsksDuration();

    // "How much does it cost", "what is the fee": asking an amount; "can I pay in bitcoin" asks no amount.
    [GeneratedRegex(@"^how much\b|^(what|which)\b.*\b(cost|costs|price|prices|fee|fees|charge|charges)\b|\bwhat does\b.*\bcost\b")]
    private static partial Regex AsksMoney();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex EmailValue();

    [GeneratedRegex(@"(\+\d{1,3}[ -]?)?\(?\d{2,5}\)?([ -]\d{2,5}){2,}")]
    private static partial Regex PhoneValue();

    [GeneratedRegex(@"https?://\S+|\b[\w-]+(\.[\w-]+)*\.(com|org|net|io|dev|app|example|eu|uk|de)\b", RegexOptions.IgnoreCase)]
    private static partial Regex UrlValue();

    [GeneratedRegex(@"\b\d+([.,]\d+)?\s?(g|kg|mg|lbs?|oz|grams?|kilograms?|tonnes?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MassValue();

    [GeneratedRegex(@"\b\d+([.,]\d+)?\s?(-?inch(es)?|""|mm|cm|m|metres?|meters?|ft|feet)(\b|$)|\b\d+([.,]\d+)?\s?x\s?\d+", RegexOptions.IgnoreCase)]
    private static partial Regex SizeValue();

    private const string Count = @"(\d+([.,]\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|few|several)";

    [GeneratedRegex(@"\b" + Count + @"(\s|-)((business|working|calendar)\s)?(seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DurationValue();

    [GeneratedRegex(@"\b\d+([.,]\d+)?\s?\w{0,6}\s?(per|/|an?)\s?(second|sec|s|minute|min|hour|h|day)\b|\b" + Count + @"(\s|-)((business|working|calendar)\s)?(seconds?|minutes?|hours?|days?|weeks?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RateValue();

    [GeneratedRegex(@"[€$£]\s?\d|\b\d+([.,]\d+)?\s?(euros?|eur|pounds?|gbp|usd|dollars?|cents?|pence)\b|\d\s?%|\bfree of charge\b|\bpercent\b", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyValue();
}
