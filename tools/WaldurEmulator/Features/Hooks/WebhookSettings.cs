using Microsoft.Extensions.Options;

namespace WaldurEmulator.Features.Hooks;

/// <summary>Webhook switches that tests may flip at run time through /emulator/webhooks.</summary>
internal sealed class WebhookSettings
{
    private readonly EmulatorOptions options;
    private volatile bool enabled;
    private volatile bool duplicate;

    public WebhookSettings(IOptions<EmulatorOptions> options)
    {
        this.options = options.Value;
        Reset();
    }

    public bool Enabled { get => enabled; set => enabled = value; }
    public bool Duplicate { get => duplicate; set => duplicate = value; }

    public void Reset()
    {
        enabled = options.WebhooksEnabled;
        duplicate = options.DuplicateWebhooks;
    }
}
